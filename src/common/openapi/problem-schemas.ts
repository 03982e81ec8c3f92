import { PROBLEM_TYPES } from '../http/problem-types';
import type { HeaderObject, SchemaObject } from '@nestjs/swagger';

/** Component names, referenced by every error response of the document. */
export const PROBLEM = 'Problem';
export const OAUTH_ERROR = 'OAuthError';
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/** The request body limit is 100 KiB, and a field takes at least 4 bytes (`"a":1`): no more errors than that. */
const MAX_FIELD_ERRORS = Math.floor((100 * 1024) / 4);

/**
 * RFC 9457 problem details as every route but the token endpoint answers them, with the two members
 * of our own: `requestId` (always) and `errors` (validation failures only). See docs/http-contract.md.
 */
export const problemSchemas: Record<string, SchemaObject> = {
  FieldError: {
    type: 'object',
    required: ['field', 'message'],
    properties: {
      field: { type: 'string', maxLength: 512, description: 'The failing field, dotted: `items.0.quantity`' },
      message: { type: 'string', maxLength: 1024 },
    },
  },
  [PROBLEM]: {
    type: 'object',
    required: ['type', 'title', 'status', 'instance', 'requestId'],
    properties: {
      type: {
        type: 'string',
        enum: ['about:blank', ...Object.values(PROBLEM_TYPES).map(({ type }) => type)],
        description: '`about:blank`, or a problem type of this API (a URI reference, RFC 9457 §3.1.1)',
      },
      title: { type: 'string', maxLength: 64, description: "The status code's standard phrase (RFC 9457 §4.2.1), or the problem type's title" },
      status: { type: 'integer', format: 'int32', minimum: 400, maximum: 599 },
      detail: { type: 'string', maxLength: 1024, description: 'Absent on a 5xx, which says nothing of its cause' },
      instance: { type: 'string', maxLength: 16384, description: 'The request path, without the query' },
      requestId: { type: 'string', format: 'uuid', maxLength: 36 },
      errors: { type: 'array', maxItems: MAX_FIELD_ERRORS, items: { $ref: '#/components/schemas/FieldError' } },
    },
  },
  [OAUTH_ERROR]: {
    type: 'object',
    description: 'RFC 6749 §5.2 error response',
    required: ['error', 'error_description'],
    properties: {
      error: {
        type: 'string',
        // RFC 6749 §5.2's codes, the only ones the token endpoint answers with (src/oauth/oauth-error.ts).
        enum: ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope'],
      },
      error_description: { type: 'string', maxLength: 1024, pattern: '^[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*$' },
    },
  },
};

const SECONDS = { type: 'integer', format: 'int32', minimum: 0, maximum: 86_400 } as const;

/** Response headers, by the name the document gives them in components.headers. */
export const responseHeaders: Record<string, HeaderObject> = {
  'X-Request-Id': {
    description: "The server's own id of the request (a UUID), also in logs, problem bodies and the audit trail; a client's X-Request-Id is never echoed",
    required: true,
    schema: { type: 'string', format: 'uuid', maxLength: 36 },
  },
  RateLimit: {
    description: 'draft-ietf-httpapi-ratelimit-headers: `"<policy>";r=<remaining>;t=<seconds to reset>`, one item per limit',
    schema: { type: 'string', maxLength: 512, pattern: '^"[a-z-]+";r=\\d+;t=\\d+(, "[a-z-]+";r=\\d+;t=\\d+)*$' },
  },
  'RateLimit-Policy': {
    description: 'draft-ietf-httpapi-ratelimit-headers: `"<policy>";q=<quota>;w=<window seconds>`, one item per limit',
    schema: { type: 'string', maxLength: 512, pattern: '^"[a-z-]+";q=\\d+;w=\\d+(, "[a-z-]+";q=\\d+;w=\\d+)*$' },
  },
  'Retry-After': { description: 'Seconds to wait before trying again (RFC 9110 §10.2.3)', required: true, schema: SECONDS },
  'WWW-Authenticate': {
    description: 'RFC 6750 §3: `Bearer realm="orders-api"`, with `error="invalid_token"` when a credential was sent',
    required: true,
    schema: { type: 'string', maxLength: 128, enum: ['Bearer realm="orders-api"', 'Bearer realm="orders-api", error="invalid_token"'] },
  },
  'WWW-Authenticate-Basic': {
    description: 'RFC 6749 §5.2: a client that tried HTTP Basic is challenged for it (`Basic realm="orders-api"`)',
    schema: { type: 'string', maxLength: 128, enum: ['Basic realm="orders-api"'] },
  },
};
