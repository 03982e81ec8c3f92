import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UsersModule } from '../users/users.module';
import { ApiKeyLookup } from './api-key-lookup';
import { ApiKeyPolicy } from './api-key.policy';
import { ApiKeyStrategy } from './api-key.strategy';
import { ApiKeyUsage } from './api-key-usage';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';

@Module({
  // UsersModule: a user's key changes run under the user's row lock.
  imports: [AuditModule, UsersModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysRepository, ApiKeysService, ApiKeyLookup, ApiKeyUsage, ApiKeyStrategy, ApiKeyPolicy],
  // ApiKeyStrategy for the AuthenticationGuard (AppModule lists it); ApiKeysService for revocation (sessions, service clients).
  exports: [ApiKeysService, ApiKeyStrategy],
})
export class ApiKeysModule {}
