import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

/** Any string up to a bound: a malformed token is simply unknown (`401`), like a forged one. */
export class RefreshDto {
  @ApiProperty({ minLength: 1, maxLength: 4096 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  refreshToken: string;
}
