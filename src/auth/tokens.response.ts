import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';

/** docs/http-contract.md, Auth: the pair a login or a refresh returns. */
export class TokensResponse {
  @ApiProperty({ description: 'RS256 JWT (at+jwt), sent as `Authorization: Bearer`', maxLength: 4096 }) @Expose() accessToken: string;
  @ApiProperty({ description: 'Opaque, single use: exchange it at POST /auth/refresh', maxLength: 43, pattern: '^[A-Za-z0-9_-]{43}$' })
  @Expose()
  refreshToken: string;
  @ApiProperty({ enum: ['Bearer'] }) @Expose() tokenType: 'Bearer';
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 900, example: 900 }) @Expose() expiresIn: number;
}
