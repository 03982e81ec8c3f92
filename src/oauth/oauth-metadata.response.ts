import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import { CLIENT_SCOPES, SCOPES } from '../security/scopes';
import { CLIENT_AUTH_METHODS, CLIENT_CREDENTIALS_GRANT } from './token-request';

const URL_FIELD = { format: 'uri', maxLength: 2048 } as const;

/** RFC 8414 §2: what an OAuth client library reads to find and use this authorization server. */
export class AuthorizationServerMetadata {
  @ApiProperty({ ...URL_FIELD, description: 'PUBLIC_URL: the `iss` of every token, and the URL this document was discovered from' })
  @Expose()
  issuer: string;

  @ApiProperty(URL_FIELD) @Expose() token_endpoint: string;
  @ApiProperty(URL_FIELD) @Expose() jwks_uri: string;
  @ApiProperty({ enum: CLIENT_SCOPES, isArray: true, maxItems: CLIENT_SCOPES.length }) @Expose() scopes_supported: string[];

  // REQUIRED by RFC 8414 §2; empty, since there is no authorization endpoint (client credentials only).
  @ApiProperty({ type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 0 }) @Expose() response_types_supported: string[];

  @ApiProperty({ enum: [CLIENT_CREDENTIALS_GRANT], isArray: true, maxItems: 1 }) @Expose() grant_types_supported: string[];

  @ApiProperty({ enum: Object.values(CLIENT_AUTH_METHODS), isArray: true, maxItems: 2 })
  @Expose()
  token_endpoint_auth_methods_supported: string[];
}

/** RFC 9728 §2: how to call this API as an OAuth protected resource, and who issues its tokens. */
export class ProtectedResourceMetadata {
  @ApiProperty({ ...URL_FIELD, description: 'PUBLIC_URL' }) @Expose() resource: string;
  @ApiProperty({ type: 'string', ...URL_FIELD, isArray: true, maxItems: 1 }) @Expose() authorization_servers: string[];
  @ApiProperty(URL_FIELD) @Expose() jwks_uri: string;
  @ApiProperty({ enum: SCOPES, isArray: true, maxItems: SCOPES.length }) @Expose() scopes_supported: string[];
  // RFC 6750 §2.1 only: a token in a form body or the query is never accepted.
  @ApiProperty({ enum: ['header'], isArray: true, maxItems: 1 }) @Expose() bearer_methods_supported: string[];
}
