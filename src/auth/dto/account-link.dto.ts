import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { NewPasswordField } from '../../users/dto/user-fields';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../users/password-policy';

/** The token from a mailed link. Any string up to a bound: a malformed one is simply not valid (`400`), like a used one. */
export class AccountLinkDto {
  @ApiProperty({ minLength: 1, maxLength: 256, description: 'The `token` of the link, from its fragment' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  token: string;
}

export class PasswordResetConfirmDto extends AccountLinkDto {
  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @NewPasswordField()
  newPassword: string;
}
