import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './postgres-errors';

describe('isDatabaseUnavailable', () => {
  const failedQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);
  const withCode = (code: string) => Object.assign(new Error('x'), { code });

  it('is true when the database cannot be reached or dropped the connection', () => {
    expect(isDatabaseUnavailable(withCode('ECONNREFUSED'))).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable(failedQuery(new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDatabaseUnavailable(failedQuery(new Error('Query read timeout')))).toBe(true);
  });

  it('is true for the SQLSTATEs of a server shutting down, starting, full, or cancelling a slow statement', () => {
    for (const code of ['08006', '57P01', '57P03', '53300', '57014']) expect(isDatabaseUnavailable(failedQuery(withCode(code)))).toBe(true);
  });

  it('is false for a statement the database refused, and for anything else', () => {
    for (const code of ['23505', '23514', '42P01', '22P02']) expect(isDatabaseUnavailable(failedQuery(withCode(code)))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});
