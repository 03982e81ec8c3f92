import pino, { type LoggerOptions } from 'pino';
import { Writable } from 'node:stream';
import { loggingOptions } from './logging.options';

/** A pino logger built from loggingOptions, as nestjs-pino builds it, writing its JSON lines to `lines`. */
function loggerAt(level: string): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const [options] = loggingOptions(level, stream).pinoHttp as [LoggerOptions];
  return { logger: pino(options, stream), lines };
}

describe('Logging options', () => {
  it("log Nest's start-up detail (modules, routes) at debug, and everything else as it was", () => {
    const { logger, lines } = loggerAt('info');
    logger.info({ context: 'InstanceLoader' }, 'AppModule dependencies initialized');
    logger.info({ context: 'RoutesResolver' }, 'OrdersController {/api/v1/orders}:');
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/v1/orders, GET} route');
    logger.info({ context: 'NestApplication' }, 'Nest application successfully started');
    logger.warn({ context: 'RouterExplorer' }, 'a warning stays a warning');
    expect(lines.map(({ level, msg }) => ({ level, msg }))).toEqual([
      { level: 30, msg: 'Nest application successfully started' },
      { level: 40, msg: 'a warning stays a warning' },
    ]);
  });

  it('shows the start-up detail with LOG_LEVEL=debug', () => {
    const { logger, lines } = loggerAt('debug');
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/api/v1/orders, GET} route');
    expect(lines).toEqual([expect.objectContaining({ level: 20, context: 'RouterExplorer', msg: 'Mapped {/api/v1/orders, GET} route' })]);
  });
});
