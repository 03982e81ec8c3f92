import { ApiProperty } from '@nestjs/swagger';
import { Expose, Type } from 'class-transformer';

/** One public signing key (RFC 7517 §4): the RSA public members only, never a private one. */
export class JwkResponse {
  @ApiProperty({ enum: ['RSA'] }) @Expose() kty: string;
  @ApiProperty({ maxLength: 128, pattern: '^[A-Za-z0-9._-]{1,128}$' }) @Expose() kid: string;
  @ApiProperty({ enum: ['sig'] }) @Expose() use: string;
  @ApiProperty({ enum: ['RS256'] }) @Expose() alg: string;
  // base64url of the modulus: 1366 characters hold a 8192-bit key.
  @ApiProperty({ maxLength: 1366, pattern: '^[A-Za-z0-9_-]+$' }) @Expose() n: string;
  @ApiProperty({ maxLength: 8, pattern: '^[A-Za-z0-9_-]+$' }) @Expose() e: string;
}

export class JwksResponse {
  // The current key and, during a rotation, the previous one.
  @ApiProperty({ type: JwkResponse, isArray: true, minItems: 1, maxItems: 2 })
  @Expose()
  @Type(() => JwkResponse)
  keys: JwkResponse[];
}
