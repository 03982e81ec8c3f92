import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { CLIENT_SCOPES, Scope } from '../../security/scopes';
import { NameField } from '../../users/dto/user-fields';

export class CreateServiceClientDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @NameField()
  name: string;

  @ApiProperty({ enum: CLIENT_SCOPES, isArray: true, minItems: 1, maxItems: CLIENT_SCOPES.length, uniqueItems: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CLIENT_SCOPES.length)
  @ArrayUnique()
  @IsIn(CLIENT_SCOPES, { each: true })
  scopes: Scope[];
}
