import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ProblemException } from '../common/http/problem.exception';
import { isDatabaseUnavailable } from '../database/postgres-errors';
import { serviceUnavailable } from '../security/security-problems';
import { OAuthError, OAuthErrorCode } from './oauth-error';

interface OAuthErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { error: OAuthErrorCode; error_description: string };
}

/**
 * The token endpoint's errors, every one in the RFC 6749 §5.2 shape (API.md: the one route whose
 * errors are not problem details). Errors of the shared pipeline (a general rate limit's 429, a
 * store's or the database's 503, an unknown query parameter's 400) keep their status and headers,
 * with the closest RFC 6749 code; a 5xx says nothing more than that, as everywhere.
 * A body Fastify cannot read at all (too large, of another type, malformed) is refused before the
 * route runs, by the global ProblemFilter, as problem details.
 */
@Catch()
export class OAuthErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('OAuthErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    // As the ProblemFilter does: an unreachable database is an outage to wait out (503), not a bug.
    const response = oauthErrorResponse(isDatabaseUnavailable(error) ? serviceUnavailable() : error);
    if (response.status >= 500) this.logger.error({ err: error }, 'token request failed');
    void host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(response.status)
      .headers({ ...response.headers, 'cache-control': 'no-store', pragma: 'no-cache', 'content-type': 'application/json; charset=utf-8' })
      .send(response.body);
  }
}

function oauthErrorResponse(error: unknown): OAuthErrorResponse {
  if (error instanceof OAuthError) {
    // RFC 6749 §5.2: a client that tried HTTP Basic gets a 401 that challenges for it.
    const headers: Record<string, string> = error.basicChallenge ? { 'WWW-Authenticate': 'Basic realm="orders-api"' } : {};
    return { status: error.status, headers, body: { error: error.code, error_description: error.description } };
  }
  const status = error instanceof HttpException ? error.getStatus() : 500;
  const headers = error instanceof ProblemException ? error.headers : {};
  if (status >= 500 && status !== 503) return { status, headers, body: { error: 'server_error', error_description: 'The server could not handle the request' } };
  const code = status === 429 || status === 503 ? 'temporarily_unavailable' : 'invalid_request';
  return { status, headers, body: { error: code, error_description: (error as HttpException).message } };
}
