import { QueryFailedError } from 'typeorm';

/** SQLSTATE 23505: a unique constraint refused the row (same code from Postgres and PGlite). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505';
}
