import { ApiProperty } from '@nestjs/swagger';
import { EmailField, NameField, NewPasswordField } from '../../users/dto/user-fields';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../users/password-policy';

/** No `role` here: self-registration always makes a customer, and any other field is a `400` (OWASP API3). */
export class RegisterDto {
  @EmailField()
  email: string;

  @ApiProperty({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH })
  @NewPasswordField()
  password: string;

  @ApiProperty({ minLength: 1, maxLength: 100 })
  @NameField()
  name: string;
}
