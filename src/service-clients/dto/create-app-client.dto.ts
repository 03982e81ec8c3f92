import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, MaxLength } from 'class-validator';
import { APP_SCOPES, Scope } from '../../security/scopes';
import { NameField } from '../../users/dto/user-fields';
import { CLIENT_TYPES, ClientType } from '../service-client.entity';

/** At most this many redirect URIs per app: each is one exact string an authorization request may name. */
export const MAX_REDIRECT_URIS = 10;
export const MAX_REDIRECT_URI_LENGTH = 2048;

/** POST /oauth/clients: an app that users authorize (docs/http-contract.md, Delegated authorization). */
export class CreateAppClientDto {
  @ApiProperty({ minLength: 1, maxLength: 100, description: 'Shown to users on the consent page' })
  @NameField()
  name: string;

  @ApiProperty({ enum: CLIENT_TYPES, description: '`public` (an SPA, a mobile app) gets no secret and must use PKCE alone' })
  @IsIn(CLIENT_TYPES)
  type: ClientType;

  @ApiProperty({
    type: 'string',
    isArray: true,
    minItems: 1,
    maxItems: MAX_REDIRECT_URIS,
    uniqueItems: true,
    maxLength: MAX_REDIRECT_URI_LENGTH,
    description: 'Exact strings: https, or http on a loopback host (any http outside production); no fragment',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_REDIRECT_URIS)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(MAX_REDIRECT_URI_LENGTH, { each: true })
  redirectUris: string[];

  @ApiProperty({ enum: APP_SCOPES, isArray: true, minItems: 1, maxItems: APP_SCOPES.length, uniqueItems: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(APP_SCOPES.length)
  @ArrayUnique()
  @IsIn(APP_SCOPES, { each: true })
  scopes: Scope[];
}
