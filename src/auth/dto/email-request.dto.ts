import { ApiProperty } from '@nestjs/swagger';
import { EmailField, PasswordField } from '../../users/dto/user-fields';
import { PASSWORD_MAX_LENGTH } from '../../users/password-policy';

/** An address to mail (a resend, a reset), normalised as at sign-up. */
export class EmailRequestDto {
  @EmailField()
  email: string;
}

export class EmailChangeDto {
  @EmailField()
  newEmail: string;

  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH })
  @PasswordField()
  currentPassword: string;
}
