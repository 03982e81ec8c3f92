import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { OutageLog } from './outage-log';
import type { WrittenError } from './error-writer';
import { OUTAGE_CLASSIFIERS, OutageClassifier } from './outage';
import { PROBLEM_CONTENT_TYPE, ProblemBody, problemTitle } from './problem';
import { ProblemException } from './problem.exception';
import { serviceUnavailable } from './service-unavailable';

interface FastifyError extends Error {
  statusCode?: number;
  code?: string;
}

/**
 * The one place errors become responses: RFC 9457 problem details for everything, whether it was
 * thrown by a handler, a guard, a pipe, or by Fastify itself (body too large, bad JSON, wrong
 * content type: Nest routes those here too). A 5xx says nothing but its title and request id: no
 * message, stack, SQL or class name ever leaves the server (docs/http-contract.md, Errors). A route whose
 * config sets an `errorWriter` (the token endpoint: RFC 6749's body) gets the same status and headers in
 * the shape it writes. What counts as an outage (503, not 500) the layers that own a dependency say, as
 * OUTAGE_CLASSIFIERS: this filter knows no database and no OAuth.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');
  /** Each outage classifier with its log, which records an outage once rather than once per request. */
  private readonly outages: { classifier: OutageClassifier; log: OutageLog }[];

  constructor(@Inject(OUTAGE_CLASSIFIERS) classifiers: readonly OutageClassifier[]) {
    this.outages = classifiers.map((classifier) => ({ classifier, log: new OutageLog(this.logger, classifier.outage) }));
  }

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    // A dependency that cannot be reached (the database) is an outage the client can wait out (503,
    // Retry-After), not a bug (500). The original error is still what gets logged below. An error Fastify
    // already put down to the client (a 4xx, e.g. the ECONNRESET of a client gone mid-body) is never one.
    const outage = isClientError(error) ? undefined : this.outages.find(({ classifier }) => classifier.isOutage(error));
    const problem = outage ? serviceUnavailable() : error;
    const status = statusOf(problem);
    const detail = status < 500 ? detailOf(problem, status) : undefined;
    if (outage) outage.log.record(error, String(request.id));
    // A 503 thrown on purpose (a store down, not ready) is an answer whose reason is known and logged
    // where it arises; every other 5xx is a failure to look into.
    else if (status >= 500 && !(status === 503 && problem instanceof HttpException)) {
      this.logger.error({ err: error, requestId: request.id }, 'request failed');
    }
    if (problem instanceof ProblemException) void reply.headers(problem.headers);
    void reply.status(status);
    // routeOptions.config is the matched route's; a request that matched no route has none of its marks.
    const writeError = request.routeOptions.config?.errorWriter;
    if (writeError) {
      const { headers, body }: WrittenError = writeError(problem, status, detail);
      void reply.headers(headers).send(body);
      return;
    }
    const problemType = problem instanceof ProblemException ? problem.problemType : undefined;
    const body: ProblemBody = {
      type: problemType?.type ?? 'about:blank',
      title: problemType?.title ?? problemTitle(status),
      status,
      detail,
      instance: request.url.split('?')[0],
      requestId: String(request.id),
    };
    if (problem instanceof ProblemException && problem.errors) body.errors = problem.errors;
    void reply.header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }
}

function statusOf(error: unknown): number {
  if (error instanceof HttpException) return error.getStatus();
  // Fastify's own client errors (413 body too large, 415, 400 bad JSON) keep their status.
  return isClientError(error) ? (error as FastifyError).statusCode! : 500;
}

/** An error Fastify raised with a 4xx status: the request's fault, not the server's. */
function isClientError(error: unknown): boolean {
  const statusCode = (error as FastifyError)?.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}

/** Nest's router answers an unknown path with `Cannot GET <url>`: that would echo the whole URL, query and all. */
const ROUTER_NOT_FOUND = /^Cannot [A-Z]+ /;

function detailOf(error: unknown, status: number): string | undefined {
  if (error instanceof NotFoundException && ROUTER_NOT_FOUND.test(error.message)) return 'No route matches this path';
  if (error instanceof HttpException) {
    const response = error.getResponse();
    if (typeof response === 'string') return response;
    const message = (response as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  }
  return FASTIFY_DETAILS[(error as FastifyError)?.code ?? ''] ?? problemTitle(status);
}

/** Fastify's messages can quote internals; these replace them with plain, fixed wording. */
const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is larger than 100 KiB',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type: send application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Request body is empty',
  FST_ERR_CTP_INVALID_JSON_BODY: 'Request body is not valid JSON',
};
