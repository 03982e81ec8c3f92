import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ServiceClientsController } from './service-clients.controller';
import { ServiceClientsService } from './service-clients.service';

@Module({
  // AuthModule for the revocation store (deleting a client voids its tokens).
  imports: [AuditModule, ApiKeysModule, AuthModule],
  controllers: [ServiceClientsController],
  providers: [ServiceClientsService],
  // For the token endpoint (src/oauth).
  exports: [ServiceClientsService],
})
export class ServiceClientsModule {}
