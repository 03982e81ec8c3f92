import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ApiKeyLookup } from './api-key-lookup';
import { ApiKeyStrategy } from './api-key.strategy';
import { ApiKeyUsage } from './api-key-usage';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysService } from './api-keys.service';

@Module({
  imports: [AuditModule],
  controllers: [ApiKeysController],
  providers: [ApiKeysService, ApiKeyLookup, ApiKeyUsage, ApiKeyStrategy],
  // ApiKeyStrategy for the AuthenticationGuard (AppModule lists it); ApiKeysService for revocation (sessions, service clients).
  exports: [ApiKeysService, ApiKeyStrategy],
})
export class ApiKeysModule {}
