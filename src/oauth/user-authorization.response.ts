import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import { APP_CLIENT_ID, APP_CLIENT_ID_LENGTH } from '../auth/token.constants';
import { APP_SCOPES, Scope } from '../security/scopes';

/** An app the user authorized, as they see it (docs/http-contract.md, Delegated authorization): never a token, nor the registry's id. */
export class UserAuthorizationResponse {
  @ApiProperty({
    description: 'The app’s public client_id: withdraw with DELETE /users/me/authorizations/{clientId}',
    pattern: APP_CLIENT_ID.source,
    maxLength: APP_CLIENT_ID_LENGTH,
  })
  @Expose()
  clientId: string;
  @ApiProperty({ maxLength: 100 }) @Expose() name: string;
  @ApiProperty({ enum: APP_SCOPES, isArray: true, maxItems: APP_SCOPES.length, description: 'The scopes granted' }) @Expose() scopes: Scope[];
  @ApiProperty({ description: 'When the user last consented' }) @Expose() grantedAt: Date;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, description: 'When a token was last issued to the app for this user; null if never' })
  @Expose()
  lastUsedAt: Date | null;
}
