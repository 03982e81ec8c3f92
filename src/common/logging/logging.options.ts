import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { clientRequestId } from '../http/request-id';

/**
 * What must never be written to a log, wherever it appears (OWASP API8 / ASVS V7: no credentials
 * in logs). Request headers are not logged at all; these paths are the second line of defence.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  ...anywhere([
    'password',
    'currentPassword',
    'newPassword',
    'token',
    'accessToken',
    'refreshToken',
    'access_token',
    'secret',
    'clientSecret',
    'client_secret',
    'key',
    'apiKey',
  ]),
  // The values a failed SQL statement carried, in a logged error and in its driverError: TypeORM's
  // `parameters`, PGlite's `params`, and Postgres's `detail`, which for a broken constraint is
  // "Failing row contains (…)", every column of the row: an email, a password hash. The message,
  // the code and the statement with its $1 placeholders stay, for the operator.
  ...anywhere(['parameters', 'params', 'detail']),
];

/** Nest's start-up detail, a line for each module and each route it wires (some 70): shown with LOG_LEVEL=debug. */
const START_UP_DETAIL = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** A field at the top of a log line, or one or two objects down (an error, its driverError). */
function anywhere(fields: string[]): string[] {
  return fields.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);
}

/** Structured JSON logs with the request id on every line (nestjs-pino over pino-http). */
export function loggingOptions(level: string, stream?: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level,
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
        hooks: {
          // Nest writes its start-up detail with `log`, which is info; it goes to debug instead.
          logMethod(args, method, level) {
            const [fields] = args;
            const context = typeof fields === 'object' && fields !== null ? (fields as { context?: unknown }).context : undefined;
            if (level === this.levels.values.info && typeof context === 'string' && START_UP_DETAIL.has(context)) return this.debug(...args);
            method.apply(this, args);
          },
        },
        // The id Fastify chose (src/common/http/request-id.ts) is on the raw request.
        genReqId: (request: IncomingMessage & { id?: string }) => String(request.id),
        // A client's own id, apart from ours (src/common/http/request-id.ts), on each line of its request.
        // Nothing (not `{}`) when there is none: pino-http then skips serializing bindings and making
        // two child loggers per request, which cost ~10 % of a request's CPU (bench, scenario 1).
        customProps: ((request: IncomingMessage) => {
          const clientId = clientRequestId(request);
          return clientId === undefined ? undefined : { clientRequestId: clientId };
        }) as (request: IncomingMessage) => Record<string, string>,
        serializers: {
          // Only what an operator needs. The path without its query string: a credential
          // wrongly sent in a query (which we refuse) must not end up in the logs either.
          req: (request: { id: string; method: string; url: string; remoteAddress?: string }) => ({
            id: request.id,
            method: request.method,
            path: request.url.split('?')[0],
            remoteAddress: request.remoteAddress,
          }),
          res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
        },
      },
      ...(stream ? [stream] : []),
    ] as Params['pinoHttp'],
  };
}
