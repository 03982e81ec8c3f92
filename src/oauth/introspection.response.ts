import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Expose } from 'class-transformer';

/** Seconds since the epoch, bounded (a JWT NumericDate up to the year 2100). */
const NUMERIC_DATE = { type: 'integer', format: 'int64', minimum: 0, maximum: 4_102_444_800 } as const;

/**
 * RFC 7662 §2.2: `active` alone for a token that is not (or not this client's to know about); the token's
 * claims for one that is. Nothing beyond what the client could already read in the token or was told when it
 * was issued.
 */
export class IntrospectionResponse {
  @ApiProperty({ description: 'Whether the token is ours, unexpired, unrevoked and issued to the client asking' }) @Expose() active: boolean;
  @ApiPropertyOptional({ description: 'The scopes it carries, space-separated', maxLength: 256 }) @Expose() scope?: string;
  @ApiPropertyOptional({ description: 'The client it was issued to: the client asking', maxLength: 64 }) @Expose() client_id?: string;
  @ApiPropertyOptional({ description: 'Whom it speaks for: `user:<id>` or `client:<id>`, as the access token’s `sub`', maxLength: 64 })
  @Expose()
  sub?: string;

  @ApiPropertyOptional({ enum: ['Bearer'], description: 'Access tokens only (RFC 6749 §5.1’s type)' }) @Expose() token_type?: 'Bearer';
  @ApiPropertyOptional({ ...NUMERIC_DATE, description: 'Expiry: an access token’s `exp`, a refresh token’s family end' }) @Expose() exp?: number;
  @ApiPropertyOptional({ ...NUMERIC_DATE, description: 'When it was issued' }) @Expose() iat?: number;
  @ApiPropertyOptional({ format: 'uri', maxLength: 2048 }) @Expose() iss?: string;
  @ApiPropertyOptional({ description: 'Access tokens only', maxLength: 64 }) @Expose() aud?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'Access tokens only', maxLength: 36 }) @Expose() jti?: string;
}
