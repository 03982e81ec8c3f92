import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import type { Tokens } from '../auth/sessions.service';
import { toResponse } from '../common/http/response';

/** RFC 6749 §5.1, with its parameter names; a refresh token for the apps' grants, none for client credentials (§4.4.3). */
export class TokenResponse {
  @ApiProperty({ description: 'RS256 JWT (at+jwt), sent as `Authorization: Bearer`', maxLength: 4096 }) @Expose() access_token: string;
  @ApiProperty({ enum: ['Bearer'] }) @Expose() token_type: 'Bearer';
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 900, example: 900 }) @Expose() expires_in: number;
  @ApiProperty({ example: 'orders:read orders:fulfil', description: 'The scopes granted, space-separated', maxLength: 256 }) @Expose() scope: string;
  @ApiPropertyOptional({
    description: 'authorization_code and refresh_token grants: opaque, single use, for this client only (RFC 9700 §4.14.2)',
    maxLength: 43,
    pattern: '^[A-Za-z0-9_-]{43}$',
  })
  @Expose()
  refresh_token?: string;
}

/** A session's pair (an app's refresh-token family), in the token endpoint's words. */
export function tokenResponseOf(tokens: Tokens): TokenResponse {
  return toResponse(TokenResponse, {
    access_token: tokens.accessToken,
    token_type: tokens.tokenType,
    expires_in: tokens.expiresIn,
    scope: tokens.scope,
    refresh_token: tokens.refreshToken,
  });
}
