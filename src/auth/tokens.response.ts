import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';

/** API.md, Auth: the pair a login or a refresh returns. */
export class TokensResponse {
  @ApiProperty({ description: 'RS256 JWT (at+jwt), sent as `Authorization: Bearer`' }) @Expose() accessToken: string;
  @ApiProperty({ description: 'Opaque, single use: exchange it at POST /auth/refresh' }) @Expose() refreshToken: string;
  @ApiProperty({ enum: ['Bearer'] }) @Expose() tokenType: 'Bearer';
  @ApiProperty({ example: 900 }) @Expose() expiresIn: number;
}
