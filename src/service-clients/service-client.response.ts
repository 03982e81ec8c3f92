import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import { CLIENT_SCOPES, Scope } from '../security/scopes';

/** 256 random bits, base64url (src/service-clients/client-credentials.ts). */
export const CLIENT_SECRET = { pattern: '^[A-Za-z0-9_-]{43}$', maxLength: 43 } as const;

/** A service client as admins list it: never a secret or a secret's hash. */
export class ServiceClientResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty({ maxLength: 100 }) @Expose() name: string;
  @ApiProperty({ description: 'The public client_id for POST /oauth/token', pattern: '^[A-Za-z0-9_-]{22}$', maxLength: 22 }) @Expose() clientId: string;
  @ApiProperty({ enum: CLIENT_SCOPES, isArray: true, maxItems: CLIENT_SCOPES.length }) @Expose() scopes: Scope[];
  @ApiProperty() @Expose() createdAt: Date;
}

/** The 201 of a new client: the one time its secret is shown. */
export class NewServiceClientResponse extends ServiceClientResponse {
  @ApiProperty({ ...CLIENT_SECRET, description: 'Shown once: store it now, it cannot be shown again' }) @Expose() clientSecret: string;
}

/** The 201 of a secret rotation. */
export class ClientSecretResponse {
  @ApiProperty({ ...CLIENT_SECRET, description: 'Shown once; the previous secret works until the grace period ends' }) @Expose() clientSecret: string;
}
