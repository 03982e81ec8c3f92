import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from '../../src/app.module';
import { tracked } from './open-apps';
import { TestAppOptions, withTestDatabase } from './test-app';
import { TestDatabase } from './test-database';

export interface TestServices {
  /** `app.get(OrdersService)`: the providers of the app, as it wires them. */
  app: INestApplicationContext;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * The medium tier's app: the app's own modules (services, repositories, database, Redis in the
 * service suite) on a fresh database, with no HTTP in front. A Nest application context of the
 * AppModule that createApp builds on, so no Fastify, routes, guards or pipes: for tests of what
 * services do, where a request adds nothing. What a client sees is tested over HTTP (startTestApp).
 */
export function startTestServices(options: Pick<TestAppOptions, 'env' | 'secrets' | 'database'> = {}): Promise<TestServices> {
  return tracked(
    withTestDatabase(options, async (appOptions) => {
      const app = await NestFactory.createApplicationContext(AppModule.register(appOptions), { bufferLogs: true });
      app.useLogger(app.get(Logger));
      return app;
    }),
  );
}
