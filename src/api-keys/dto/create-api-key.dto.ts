import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, Max, Min } from 'class-validator';
import { Optional } from '../../common/validation/optional.decorator';
import { Scope, SCOPES } from '../../security/scopes';
import { NameField } from '../../users/dto/user-fields';

/** POST /api-keys (docs/http-contract.md, API keys). Scopes beyond the owner's are refused by the service (400). */
export class CreateApiKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 100 })
  @NameField()
  name: string;

  @ApiPropertyOptional({ enum: SCOPES, isArray: true, minItems: 1, maxItems: SCOPES.length, uniqueItems: true, description: 'Default: every scope you hold' })
  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCOPES.length)
  @ArrayUnique()
  @IsIn(SCOPES, { each: true })
  scopes?: Scope[];

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 1, maximum: 365, description: 'Default: no expiry' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(365)
  expiresInDays?: number;
}
