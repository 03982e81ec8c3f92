import { RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { Logger, PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppOptions } from './app.options';
import { API_PREFIX } from './common/http/api-prefix';
import { AppConfig } from './config/app-config';
import { answerClientError } from './common/http/client-error';
import { decodableUrl } from './common/http/decodable-url';
import { Drain } from './common/http/drain';
import { registerJsonBodyParser } from './common/http/json-body.parser';
import { methodNotAllowedRoutes } from './common/http/method-not-allowed';
import { ProblemException } from './common/http/problem.exception';
import { newRequestId } from './common/http/request-id';
import { registerAccessLog } from './common/logging/access-log';
import { setUpOpenApi } from './common/openapi/openapi';
import { serveDemoStorefront } from './demo-storefront';
import { registerHardening } from './security/hardening/hardening';
import { tlsOptions } from './security/hardening/tls-options';

export { API_PREFIX };
/**
 * Routes at fixed, well-known paths rather than under API_PREFIX: probes, RFC 8615's /.well-known, the development
 * mailbox, and the OAuth authorization endpoint's pages (a browser is sent there, it is no API operation).
 */
export const OUTSIDE_API_PREFIX = [
  { path: 'health/live', method: RequestMethod.GET },
  { path: 'health/ready', method: RequestMethod.GET },
  { path: '.well-known/jwks.json', method: RequestMethod.GET },
  { path: '.well-known/oauth-authorization-server', method: RequestMethod.GET },
  { path: '.well-known/oauth-protected-resource', method: RequestMethod.GET },
  { path: 'dev/mail', method: RequestMethod.GET },
  { path: 'oauth/authorize', method: RequestMethod.GET },
  { path: 'oauth/authorize/login', method: RequestMethod.POST },
  { path: 'oauth/authorize/consent', method: RequestMethod.POST },
] as const;

/** Request bodies over 100 KiB are refused with 413 before they are read further (docs/http-contract.md). */
export const BODY_LIMIT_BYTES = 100 * 1024;
/** An idle kept-alive connection is closed after this long (a proxy in front must give up sooner). */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/**
 * How long a client may take to send a request (REQUEST_TIMEOUT_SECONDS) and its headers
 * (HEADERS_TIMEOUT_SECONDS). Node checks both on a timer, every 30 s by default, so a client
 * trickling bytes was cut off up to 30 s late (a body after 79 s with a 30 s timeout): checking
 * twice a second keeps the bound within a second of the setting.
 */
function serverTimeouts(config: AppConfig): { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number } {
  return { requestTimeout: config.REQUEST_TIMEOUT_SECONDS * 1000, headersTimeout: config.HEADERS_TIMEOUT_SECONDS * 1000, connectionsCheckingInterval: 500 };
}

/**
 * Builds the whole application, ready to listen: used by main.ts and by every HTTP test, so the
 * tests exercise exactly what runs in production.
 */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  // Built once: the trustProxy check runs on every read of request.ip or request.protocol.
  const trustedProxies = options.config.trustedProxies;
  const timeouts = serverTimeouts(options.config);
  const tls = tlsOptions(options.config);
  const adapter = new FastifyAdapter({
    // Node's server options: Fastify hands `https` (or else `http`) to createServer.
    https: tls && { ...tls, ...timeouts },
    http: timeouts,
    bodyLimit: BODY_LIMIT_BYTES,
    // No Nest middleware here (every per-request step is a Fastify hook, a guard or a pipe), so
    // @fastify/middie, the Express-style middleware engine Nest would otherwise mount and run on
    // every request, is left out.
    skipMiddie: true,
    genReqId: newRequestId,
    requestIdHeader: false,
    // Bounded waits (OWASP API4): a slow client cannot hold a connection or a request forever.
    connectionTimeout: 60_000,
    requestTimeout: timeouts.requestTimeout,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // Node's own answers (408, 431, 400) as problem details too.
    clientErrorHandler: answerClientError,
    // Fastify's router would answer these URLs itself, before any hook (see decodableUrl). An id
    // over its default 100 characters reaches its route and is refused there as a malformed id
    // (400); Node's 16 KiB limit on the request line and headers still bounds the URL.
    routerOptions: { maxParamLength: 16_384 },
    rewriteUrl: (request: IncomingMessage) => decodableUrl(request.url ?? '/'),
    // X-Forwarded-* are believed only from configured proxies (docs/http-contract.md, Rate limits); the client
    // address is read with clientAddress(), which also refuses what is not an IP address.
    trustProxy: (address: string) => trustedProxies.check(address, address.includes(':') ? 'ipv6' : 'ipv4'),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(options), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  registerAccessLog(fastify, PinoLogger.root);
  registerJsonBodyParser(fastify);
  const addMethodNotAllowedRoutes = methodNotAllowedRoutes(fastify);
  await registerHardening(fastify, options.config);
  // Hooks take a callback rather than being async: no promise per hook per request.
  fastify.addHook('onRequest', (request, _reply, done) => {
    // A percent-encoded NUL in a path or query is refused before routing (docs/http-contract.md, General rules).
    done(request.url.includes('%00') ? new ProblemException(400, 'The URL may not contain U+0000') : undefined);
  });
  // Shutting down (see drainAndClose): every answer carries `Connection: close`, so a kept-alive
  // socket ends with its answer and its client sends nothing more on it.
  const drain = app.get(Drain);
  fastify.addHook('preClose', async () => drain.begin());
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    if (drain.draining) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.setGlobalPrefix(API_PREFIX, { exclude: [...OUTSIDE_API_PREFIX] });
  if (!options.config.isProduction) {
    setUpOpenApi(app);
    serveDemoStorefront(fastify);
  }
  await app.init();
  addMethodNotAllowedRoutes();
  await fastify.ready();
  return app;
}
