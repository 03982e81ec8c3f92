import { DynamicModule, Global, Module } from '@nestjs/common';
import { Logger, Params, PARAMS_PROVIDER_TOKEN, PinoLogger } from 'nestjs-pino';

/**
 * nestjs-pino's Nest logger (Nest's own lines, `new Logger(Context)` in services) without its
 * LoggerModule, which mounts pino-http as a Nest middleware on every route: that middleware made two
 * child loggers per request and brought in the middleware engine (@fastify/middie) for nothing else,
 * about a third of the CPU of a bare request (bench, scenario 1). The access log is a Fastify hook
 * instead (access-log.ts); lines logged during a request name it with an explicit `requestId`.
 */
@Global()
@Module({})
export class LoggingModule {
  static forRoot(params: Params): DynamicModule {
    return {
      module: LoggingModule,
      providers: [{ provide: PARAMS_PROVIDER_TOKEN, useValue: params }, PinoLogger, Logger],
      exports: [PinoLogger, Logger],
    };
  }
}
