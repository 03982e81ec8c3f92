import type { SchemaObject } from '@nestjs/swagger';
import { CLIENT_SCOPES } from '../security/scopes';

const scopeList = CLIENT_SCOPES.join('|');

/**
 * The token request of RFC 6749 §4.4.2, as a form (the RFC's encoding) or as JSON. Only these four
 * parameters are read (src/oauth/token-request.ts); §3.2 says to ignore any other, so the schema
 * allows them, up to a bound.
 */
export const tokenRequestSchema: SchemaObject = {
  type: 'object',
  required: ['grant_type'],
  additionalProperties: { type: 'string', maxLength: 4096 },
  maxProperties: 32,
  properties: {
    grant_type: {
      type: 'string',
      maxLength: 64,
      pattern: '^[\\x20-\\x7e]+$',
      example: 'client_credentials',
      description: 'Only `client_credentials` is granted',
    },
    scope: {
      type: 'string',
      maxLength: 256,
      pattern: `^(${scopeList})( (${scopeList}))*$`,
      description: 'Space-separated, a subset of the client’s scopes; default: all of them',
    },
    client_id: { type: 'string', maxLength: 64, pattern: '^[\\x20-\\x7e]+$', description: 'client_secret_post: with client_secret, instead of HTTP Basic' },
    client_secret: { type: 'string', maxLength: 256, pattern: '^[\\x20-\\x7e]+$', description: 'client_secret_post' },
  },
};
