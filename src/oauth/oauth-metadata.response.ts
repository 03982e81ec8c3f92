import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import { SCOPES } from '../security/scopes';
import { GRANT_TYPES } from '../service-clients/service-client.entity';
import { PKCE_METHOD } from './pkce';
import { CLIENT_AUTH_METHODS } from './token-request';

const URL_FIELD = { format: 'uri', maxLength: 2048 } as const;
const AUTH_METHODS = { enum: Object.values(CLIENT_AUTH_METHODS), isArray: true, maxItems: Object.values(CLIENT_AUTH_METHODS).length } as const;

/** RFC 8414 §2: what an OAuth client library reads to find and use this authorization server. */
export class AuthorizationServerMetadata {
  @ApiProperty({ ...URL_FIELD, description: 'PUBLIC_URL: the `iss` of every token, and the URL this document was discovered from' })
  @Expose()
  issuer: string;

  @ApiProperty(URL_FIELD) @Expose() authorization_endpoint: string;
  @ApiProperty(URL_FIELD) @Expose() token_endpoint: string;
  @ApiProperty(URL_FIELD) @Expose() jwks_uri: string;
  @ApiProperty({ ...URL_FIELD, description: 'RFC 7009 token revocation' }) @Expose() revocation_endpoint: string;
  @ApiProperty(AUTH_METHODS) @Expose() revocation_endpoint_auth_methods_supported: string[];
  @ApiProperty({ ...URL_FIELD, description: 'RFC 7662 token introspection (confidential clients)' }) @Expose() introspection_endpoint: string;
  @ApiProperty(AUTH_METHODS) @Expose() introspection_endpoint_auth_methods_supported: string[];
  @ApiProperty({ enum: SCOPES, isArray: true, maxItems: SCOPES.length, description: 'What service clients and apps can be granted' })
  @Expose()
  scopes_supported: string[];

  @ApiProperty({ enum: ['code'], isArray: true, maxItems: 1 }) @Expose() response_types_supported: string[];
  @ApiProperty({ enum: GRANT_TYPES, isArray: true, maxItems: GRANT_TYPES.length }) @Expose() grant_types_supported: string[];

  @ApiProperty(AUTH_METHODS) @Expose() token_endpoint_auth_methods_supported: string[];

  // RFC 7636 §4.3, OAuth 2.1 §4.1.1: S256 only, never `plain`.
  @ApiProperty({ enum: [PKCE_METHOD], isArray: true, maxItems: 1 }) @Expose() code_challenge_methods_supported: string[];

  // RFC 9207 §3: every authorization response carries `iss`, so clients can refuse one from another server.
  @ApiProperty({ enum: [true] }) @Expose() authorization_response_iss_parameter_supported: boolean;
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
