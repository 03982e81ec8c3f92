import type { Params } from 'nestjs-pino';
import { type DestinationStream, stdSerializers } from 'pino';

/** Fields that hold a credential, wherever a line would carry one (OWASP API8 / ASVS V7: no credentials in logs). */
const CREDENTIAL_FIELDS = [
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
];

/**
 * The values a failed SQL statement carried, in a logged error and in its driverError: TypeORM's
 * `parameters`, PGlite's `params`, and Postgres's `detail`, which for a broken constraint is
 * "Failing row contains (…)", every column of the row: an email, a password hash. The message,
 * the code and the statement with its $1 placeholders stay, for the operator.
 */
const SQL_VALUE_FIELDS = ['parameters', 'params', 'detail'];

/**
 * What must never be written to a log: at the top of a line, and in a logged error (`err`) or one
 * object down in it (its driverError, its cause). Lines are built field by field (the access log
 * from access-log.ts, the rest with named fields such as `requestId`), so no request headers or
 * bodies are ever logged; these paths are the second line of defence. Every path starts at a
 * fixed field: pino runs a path only on the lines that have its first field, so the access line
 * (`req`, `res`, `responseTime`) pays nothing for them. Leading wildcards (`*.password`) would be
 * tried on every field of every line: a sixth of a bare request's CPU (bench, scenario 1).
 */
export const REDACTED_PATHS = [...CREDENTIAL_FIELDS, ...SQL_VALUE_FIELDS].flatMap((field) => [field, `err.${field}`, `err.*.${field}`]);

/** Nest's start-up detail, a line for each module and each route it wires (some 70): shown with LOG_LEVEL=debug. */
const START_UP_DETAIL = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/** Structured JSON logs (pino), for Nest's logger and the access log (access-log.ts). */
export function loggingOptions(level: string, stream?: DestinationStream): Params {
  return {
    pinoHttp: [
      {
        level,
        // pino-http's serializers expect Node's request and response objects, and would rewrite the access log's
        // own `req` and `res` fields (access-log.ts) into `url` and a null status. Only errors are serialized.
        wrapSerializers: false,
        serializers: { err: stdSerializers.err },
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
      },
      ...(stream ? [stream] : []),
    ] as Params['pinoHttp'],
  };
}
