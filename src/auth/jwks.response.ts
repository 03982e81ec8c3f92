import { ApiProperty } from '@nestjs/swagger';
import { Expose, Type } from 'class-transformer';

/** One public signing key (RFC 7517 §4): the RSA public members only, never a private one. */
export class JwkResponse {
  @ApiProperty({ example: 'RSA' }) @Expose() kty: string;
  @ApiProperty() @Expose() kid: string;
  @ApiProperty({ example: 'sig' }) @Expose() use: string;
  @ApiProperty({ example: 'RS256' }) @Expose() alg: string;
  @ApiProperty() @Expose() n: string;
  @ApiProperty() @Expose() e: string;
}

export class JwksResponse {
  @ApiProperty({ type: JwkResponse, isArray: true })
  @Expose()
  @Type(() => JwkResponse)
  keys: JwkResponse[];
}
