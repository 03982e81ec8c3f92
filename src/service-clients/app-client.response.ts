import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import { APP_CLIENT_ID, APP_CLIENT_ID_LENGTH } from '../auth/token.constants';
import { APP_SCOPES, Scope } from '../security/scopes';
import { MAX_REDIRECT_URI_LENGTH, MAX_REDIRECT_URIS } from './dto/create-app-client.dto';
import { CLIENT_TYPES, ClientType } from './service-client.entity';
import { CLIENT_SECRET } from './service-client.response';

/** An app as admins list it: never a secret or a secret's hash. */
export class AppClientResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty({ maxLength: 100 }) @Expose() name: string;
  @ApiProperty({
    description: 'The public client_id for /oauth/authorize and the token endpoint',
    pattern: APP_CLIENT_ID.source,
    maxLength: APP_CLIENT_ID_LENGTH,
  })
  @Expose()
  clientId: string;
  @ApiProperty({ enum: CLIENT_TYPES }) @Expose() type: ClientType;
  @ApiProperty({ type: 'string', isArray: true, maxItems: MAX_REDIRECT_URIS, maxLength: MAX_REDIRECT_URI_LENGTH }) @Expose() redirectUris: string[];
  @ApiProperty({ enum: APP_SCOPES, isArray: true, maxItems: APP_SCOPES.length }) @Expose() scopes: Scope[];
  @ApiProperty() @Expose() createdAt: Date;
}

/** The 201 of a new app: a confidential one's secret is shown this once; a public one has none. */
export class NewAppClientResponse extends AppClientResponse {
  @ApiPropertyOptional({ ...CLIENT_SECRET, description: 'Confidential apps only. Shown once: store it now, it cannot be shown again' })
  @Expose()
  clientSecret?: string;
}
