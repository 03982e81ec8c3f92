import { ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/validation/optional.decorator';
import { NameField } from './user-fields';

/** PATCH /users/me: only the name. Email, role and status are not the user's to set (OWASP API3). */
export class UpdateMeDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @Optional()
  @NameField()
  name?: string;
}
