import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import { CLIENT_SCOPES } from '../auth/access-token-claims';
import type { Scope } from '../security/principal';

/** A service client as admins list it: never a secret or a secret's hash. */
export class ServiceClientResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty() @Expose() name: string;
  @ApiProperty({ description: 'The public client_id for POST /oauth/token' }) @Expose() clientId: string;
  @ApiProperty({ enum: CLIENT_SCOPES, isArray: true }) @Expose() scopes: Scope[];
  @ApiProperty() @Expose() createdAt: Date;
}

/** The 201 of a new client: the one time its secret is shown. */
export class NewServiceClientResponse extends ServiceClientResponse {
  @ApiProperty({ description: 'Shown once: store it now, it cannot be shown again' }) @Expose() clientSecret: string;
}

/** The 201 of a secret rotation. */
export class ClientSecretResponse {
  @ApiProperty({ description: 'Shown once; the previous secret works until the grace period ends' }) @Expose() clientSecret: string;
}
