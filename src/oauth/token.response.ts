import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';

/** RFC 6749 §5.1, with its parameter names; no refresh token for the client credentials grant (§4.4.3). */
export class TokenResponse {
  @ApiProperty({ description: 'RS256 JWT (at+jwt), sent as `Authorization: Bearer`', maxLength: 4096 }) @Expose() access_token: string;
  @ApiProperty({ enum: ['Bearer'] }) @Expose() token_type: 'Bearer';
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 900, example: 900 }) @Expose() expires_in: number;
  @ApiProperty({ example: 'orders:read orders:fulfil', description: 'The scopes granted, space-separated', maxLength: 256 }) @Expose() scope: string;
}
