import { ApiProperty } from '@nestjs/swagger';
import { EmailField, PasswordField } from '../../users/dto/user-fields';
import { PASSWORD_MAX_LENGTH } from '../../users/password-policy';

export class LoginDto {
  @EmailField()
  email: string;

  @ApiProperty({ maxLength: PASSWORD_MAX_LENGTH })
  @PasswordField()
  password: string;
}
