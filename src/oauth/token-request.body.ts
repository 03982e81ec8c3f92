import type { SchemaObject } from '@nestjs/swagger';
import { SCOPES } from '../security/scopes';

const scopeList = SCOPES.join('|');
/** Printable ASCII only: what every OAuth parameter here is made of (RFC 6749 Appendix A). */
export const VISIBLE_ASCII = '^[\\x20-\\x7e]+$';

/**
 * The token request of RFC 6749 §4.1.3, §4.4.2 and §6, as a form (the RFC's encoding) or as JSON. Only these
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
      pattern: VISIBLE_ASCII,
      example: 'client_credentials',
      description: '`client_credentials` (service clients), `authorization_code` or `refresh_token` (apps)',
    },
    scope: {
      type: 'string',
      maxLength: 256,
      pattern: `^(${scopeList})( (${scopeList}))*$`,
      description: 'client_credentials: space-separated, a subset of the client’s scopes; default: all of them. Ignored by the other grants',
    },
    client_id: {
      type: 'string',
      maxLength: 64,
      pattern: VISIBLE_ASCII,
      description: 'client_secret_post: with client_secret, instead of HTTP Basic; alone, a public app (`none`)',
    },
    client_secret: { type: 'string', maxLength: 256, pattern: VISIBLE_ASCII, description: 'client_secret_post' },
    code: { type: 'string', maxLength: 256, pattern: VISIBLE_ASCII, description: 'authorization_code: the code the redirect brought' },
    redirect_uri: { type: 'string', maxLength: 2048, pattern: VISIBLE_ASCII, description: 'authorization_code: the redirect_uri of the authorization request' },
    code_verifier: { type: 'string', maxLength: 128, pattern: VISIBLE_ASCII, description: 'authorization_code: the PKCE verifier (RFC 7636 §4.5)' },
    refresh_token: { type: 'string', maxLength: 256, pattern: VISIBLE_ASCII, description: 'refresh_token: the app’s current refresh token' },
  },
};
