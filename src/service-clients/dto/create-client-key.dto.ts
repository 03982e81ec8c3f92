import { ApiProperty } from '@nestjs/swagger';
import { NameField } from '../../users/dto/user-fields';

/** POST /service-clients/:id/api-keys: the key acts as the client, with all of the client's scopes. */
export class CreateClientKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @NameField()
  name: string;
}
