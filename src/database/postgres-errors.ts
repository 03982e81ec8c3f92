import { QueryFailedError } from 'typeorm';
import type { OutageClassifier } from '../common/http/outage';

/** SQLSTATE 23505: a unique constraint refused the row (same code from Postgres and PGlite). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505';
}

const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300|57014)$/;
// pg and pg-pool raise these as plain Errors, without a code.
const PG_CONNECTION_FAILURES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'timeout expired',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
]);

/**
 * Whether the database could not be reached or dropped the connection, rather than refusing a
 * statement: the same request may well succeed in a moment, so it is answered `503` with
 * Retry-After (RFC 9110 §15.6.4), not `500`. Covers the socket errors of connecting, the
 * connection-class SQLSTATEs (08xxx; 57P01-57P03 server shutting down or starting; 53300 too many
 * connections; 57014 statement timeout) and the messages `pg` gives such failures without a code.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const cause: unknown = error instanceof QueryFailedError ? error.driverError : error;
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  return typeof message === 'string' && PG_CONNECTION_FAILURES.has(message);
}

/** The database's outages, for the ProblemFilter (AppModule lists it under OUTAGE_CLASSIFIERS): 503, logged once per outage. */
export const DATABASE_OUTAGE: OutageClassifier = { outage: 'Database unavailable', isOutage: isDatabaseUnavailable };
