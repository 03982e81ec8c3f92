import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';
import { toResponse } from '../common/http/response';
import { Scope, SCOPES } from '../security/scopes';
import type { CreatedApiKey } from './api-keys.service';

/** An API key as its owner sees it (docs/http-contract.md): the hash never, the key itself only when it is made. */
export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty({ maxLength: 100 }) @Expose() name: string;
  @ApiProperty({ example: 'sk_live_7Qx2', maxLength: 13 }) @Expose() prefix: string;
  @ApiProperty({ example: 'o7hP', minLength: 4, maxLength: 4 }) @Expose() last4: string;
  @ApiProperty({ enum: SCOPES, isArray: true, maxItems: SCOPES.length }) @Expose() scopes: Scope[];
  @ApiProperty() @Expose() createdAt: Date;
  @ApiProperty({ type: Date, nullable: true }) @Expose() expiresAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) @Expose() lastUsedAt: Date | null;
  @ApiProperty({ type: Date, nullable: true }) @Expose() revokedAt: Date | null;
}

/** The 201 of a new or rotated key: the one time the plaintext key is shown. */
export class NewApiKeyResponse extends ApiKeyResponse {
  @ApiProperty({ description: 'Shown once: store it now, it cannot be shown again', pattern: '^(sk|svc)_(live|test)_[0-9A-Za-z]{49}$', maxLength: 58 })
  @Expose()
  key: string;
}

/** The 201 body: the key's fields plus, this once, the plaintext key. */
export function newApiKeyResponse({ apiKey, key }: CreatedApiKey): NewApiKeyResponse {
  return toResponse(NewApiKeyResponse, { ...apiKey, key });
}
