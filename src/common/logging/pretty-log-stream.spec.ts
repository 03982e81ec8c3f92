import pino from 'pino';
import { Writable } from 'node:stream';
import { prettyLogStream, wantsPrettyLogs } from './pretty-log-stream';

// Colours are on wherever colorette sees support for them (a terminal, or CI=true).
// eslint-disable-next-line no-control-regex -- the escape character is what the pattern is for
const ANSI_COLOUR = /\u001b\[\d+m/g;

/** What the pretty stream writes, without its colours. */
function capture(): { destination: Writable; lines: () => string[] } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    destination,
    lines: () => text.replace(ANSI_COLOUR, '').split('\n').filter(Boolean),
  };
}

describe('Pretty logs', () => {
  it.each([
    [{ production: false, terminal: true }, true],
    [{ production: false, terminal: false }, false],
    [{ production: true, terminal: true }, false],
    [{ format: 'pretty' as const, production: true, terminal: false }, true],
    [{ format: 'json' as const, production: false, terminal: true }, false],
  ])('are chosen for %o: %s', (reader, pretty) => {
    expect(wantsPrettyLogs(reader)).toBe(pretty);
  });

  it('write one readable line per request, and the context of any other line', () => {
    const { destination, lines } = capture();
    const logger = pino(prettyLogStream(destination));
    logger.info(
      { req: { id: 'r1', method: 'GET', path: '/api/v1/products', remoteAddress: '127.0.0.1' }, res: { statusCode: 200 }, responseTime: 4.4 },
      'request completed',
    );
    logger.warn({ req: { id: 'r2', method: 'POST', path: '/api/v1/orders' }, res: { statusCode: 500 }, responseTime: 12 }, 'request errored');
    logger.info({ context: 'DemoSeeder' }, 'Seeded 5 demo products');
    expect(lines()).toEqual([
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: GET \/api\/v1\/products 200 4 ms$/),
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: POST \/api\/v1\/orders 500 12 ms \(request errored\)$/),
      expect.stringMatching(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: \[DemoSeeder\] Seeded 5 demo products$/),
    ]);
  });
});
