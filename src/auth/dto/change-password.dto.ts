import { ApiProperty } from '@nestjs/swagger';
import { NewPasswordField, PasswordField } from '../../users/dto/user-fields';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../users/password-policy';

export class ChangePasswordDto {
  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH })
  @PasswordField()
  currentPassword: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @NewPasswordField()
  newPassword: string;
}
