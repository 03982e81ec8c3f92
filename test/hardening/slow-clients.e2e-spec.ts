import { connect, Socket } from 'node:net';
import { LoopbackTestApp, startTestAppOnLoopback } from '../support/test-app';

const HEADERS_TIMEOUT_S = 2;
const REQUEST_TIMEOUT_S = 4;
/** Node checks its timeouts on an interval (500 ms here), so an answer may come that much after the timeout: within a second. */
const SLACK_MS = 1_000;

interface RawAnswer {
  /** When the first byte of the answer came, from the first byte sent. */
  afterMs: number;
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/**
 * Slow clients (OWASP API4; slowloris): a request whose headers or body trickle in a byte at a time
 * never stops looking busy, so only the request and headers timeouts can end it. They must end it
 * on time (here lowered through their settings, so the test runs in seconds), and Node's own
 * answers (408, 431, 400) must be problem details like every other error.
 */
describe('Slow and malformed clients', () => {
  let t: LoopbackTestApp;
  beforeAll(async () => {
    t = await startTestAppOnLoopback({ env: { HEADERS_TIMEOUT_SECONDS: String(HEADERS_TIMEOUT_S), REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_S) } });
  });
  afterAll(() => t?.close());

  /** Writes `head`, then one byte of `trickle` every 200 ms, until the server answers (or 15 s pass). */
  function send(head: string, trickle = ''): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const socket: Socket = connect(t.http.port, '127.0.0.1');
      const started = performance.now();
      let received = '';
      let afterMs = 0;
      let next = 0;
      const dripping = setInterval(() => {
        if (next < trickle.length && socket.writable) socket.write(trickle[next++]);
      }, 200);
      const giveUp = setTimeout(() => socket.destroy(new Error(`no answer within 15 s (after ${next} trickled bytes)`)), 15_000);
      socket.write(head);
      socket.on('data', (chunk) => {
        afterMs ||= performance.now() - started;
        received += chunk.toString('utf8');
      });
      socket.on('error', reject);
      socket.on('close', () => {
        clearInterval(dripping);
        clearTimeout(giveUp);
        if (!received) return reject(new Error('closed without an answer'));
        const [head, body] = received.split('\r\n\r\n');
        const [statusLine, ...lines] = head.split('\r\n');
        const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
        resolve({ afterMs, status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) });
      });
    });
  }

  function expectProblem(answer: RawAnswer, status: number): void {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toEqual({
      type: 'about:blank',
      title: expect.any(String),
      status,
      detail: expect.any(String),
      requestId: answer.headers['x-request-id'],
    });
  }

  it(`answers headers trickled a byte at a time with a 408 problem once HEADERS_TIMEOUT_SECONDS (${HEADERS_TIMEOUT_S} s) has passed`, async () => {
    const answer = await send('GET /api/v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: ' + 'a'.repeat(200));
    expectProblem(answer, 408);
    expect(answer.afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_S * 1000 - 100);
    expect(answer.afterMs).toBeLessThan(HEADERS_TIMEOUT_S * 1000 + SLACK_MS);
  });

  it(`answers a body trickled a byte at a time with a 408 problem once REQUEST_TIMEOUT_SECONDS (${REQUEST_TIMEOUT_S} s) has passed`, async () => {
    const body = JSON.stringify({ email: 'slow@example.com', password: 'correct-horse-battery', name: 'x'.repeat(100) });
    const head = `POST /api/v1/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const answer = await send(head, body);
    expectProblem(answer, 408);
    expect(answer.afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_S * 1000 - 100);
    expect(answer.afterMs).toBeLessThan(REQUEST_TIMEOUT_S * 1000 + SLACK_MS);
  });

  it('answers headers over 16 KiB with a 431 problem, and a request Node cannot parse with a 400 problem', async () => {
    expectProblem(await send(`GET /api/v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`), 431);
    expectProblem(await send('NOT AN HTTP REQUEST\r\n\r\n'), 400);
  });
});
