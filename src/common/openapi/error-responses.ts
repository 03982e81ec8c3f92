import type { ContentObject, OperationObject, ReferenceObject, ResponseObject } from '@nestjs/swagger';
import { DocumentedProblem } from './api-problems.decorator';
import { OAUTH_ERROR, PROBLEM, PROBLEM_MEDIA_TYPE } from './problem-schemas';

/** What the document builder knows of one operation from its route's metadata. */
export interface OperationFacts {
  method: string;
  authenticated: boolean;
  /** The statuses the route (or its class, or its security decorators) declared with @ApiProblem(). */
  problems: DocumentedProblem[];
  oauthErrors: boolean;
  probe: boolean;
}

/** Fastify reads a body for these methods, so they can meet the body limit and the content-type check. */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

const header = (name: string): ReferenceObject => ({ $ref: `#/components/headers/${name}` });

/**
 * Writes every error answer an operation can give, in one shape for all routes: what every route
 * answers (validation, 500), what follows from its metadata (401 when authenticated, 413 and 415 when
 * it reads a body, 429 and 503 unless it is a probe), then what the route declared itself. A new route
 * gets all of it from its decorators, with no hand-written response objects.
 */
export function declareErrorResponses(operation: OperationObject, facts: OperationFacts): void {
  const problems = new Map<number, string[]>();
  const add = (status: number, description: string) => problems.set(status, [...(problems.get(status) ?? []), description]);
  add(400, 'Malformed request: an unknown or invalid query parameter, path id, header or body field');
  if (facts.authenticated) add(401, 'The credential is missing, malformed, expired, revoked or forged (one answer for every reason)');
  if (BODY_METHODS.has(facts.method)) {
    add(413, 'The request body is larger than 100 KiB');
    add(415, 'The body has a content type this route does not read');
  }
  for (const { status, description } of facts.problems) add(status, description);
  if (!facts.probe) {
    add(403, 'In production: the request did not arrive over HTTPS');
    add(429, 'A rate limit is spent: wait Retry-After seconds');
    add(503, 'A store the answer depends on (Postgres, Redis) does not answer: retry after Retry-After seconds');
  }
  add(500, 'An unexpected error: the body says nothing but its title and request id');
  const success = operation.responses;
  const errors = [...problems.keys()].sort((a, b) => a - b);
  operation.responses = Object.fromEntries([
    ...Object.entries(success).map(([status, response]) => [status, withHeaders(response as ResponseObject, facts)] as const),
    ...errors.map((status) => [String(status), errorResponse(status, problems.get(status)!, facts)] as const),
  ]);
}

function withHeaders(response: ResponseObject, facts: OperationFacts): ResponseObject {
  return { ...response, headers: { ...response.headers, ...commonHeaders(facts) } };
}

function commonHeaders(facts: OperationFacts): Record<string, ReferenceObject> {
  return { 'X-Request-Id': header('X-Request-Id'), ...(facts.probe ? {} : { RateLimit: header('RateLimit'), 'RateLimit-Policy': header('RateLimit-Policy') }) };
}

function errorResponse(status: number, descriptions: string[], facts: OperationFacts): ResponseObject {
  const headers: Record<string, ReferenceObject> = commonHeaders(facts);
  // A probe's 503 (readiness) says only "not ready": the orchestrator polls again at its own pace.
  if (status === 429 || (status === 503 && !facts.probe)) headers['Retry-After'] = header('Retry-After');
  if (status === 401) headers['WWW-Authenticate'] = header(facts.oauthErrors ? 'WWW-Authenticate-Basic' : 'WWW-Authenticate');
  // The token endpoint answers RFC 6749 §5.2 JSON, which OAuth client libraries parse; all else is RFC 9457.
  const content: ContentObject = facts.oauthErrors
    ? { 'application/json': { schema: { $ref: `#/components/schemas/${OAUTH_ERROR}` } } }
    : { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: `#/components/schemas/${PROBLEM}` } } };
  return { description: [...new Set(descriptions)].join('; '), headers, content };
}
