import type { SchemaObject } from '@nestjs/swagger';
import { tokenRequestSchema, VISIBLE_ASCII } from './token-request.body';

const clientFields = tokenRequestSchema.properties as Record<string, SchemaObject>;

/**
 * The body of a revocation (RFC 7009 §2.1) or introspection (RFC 7662 §2.1) request, as a form or JSON; any
 * other parameter is ignored, up to a bound, as at the token endpoint.
 */
export const presentedTokenRequestSchema: SchemaObject = {
  ...tokenRequestSchema,
  required: ['token'],
  properties: {
    token: { type: 'string', maxLength: 4096, pattern: VISIBLE_ASCII, description: 'An access token or a refresh token issued to this client' },
    token_type_hint: {
      type: 'string',
      maxLength: 64,
      pattern: VISIBLE_ASCII,
      description: '`access_token` or `refresh_token`; ignored, since the token itself tells which it is',
    },
    client_id: clientFields.client_id,
    client_secret: clientFields.client_secret,
  },
};
