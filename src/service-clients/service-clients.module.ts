import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { AppClientPolicy } from './app-client.policy';
import { AppClientsController } from './app-clients.controller';
import { ServiceClientPolicy } from './service-client.policy';
import { ServiceClientsController } from './service-clients.controller';
import { ServiceClientsRepository } from './service-clients.repository';
import { ServiceClientsService } from './service-clients.service';

@Module({
  // AuthModule for the revocation store and the refresh-token families (deleting a client voids its tokens).
  imports: [AuditModule, ApiKeysModule, AuthModule],
  controllers: [ServiceClientsController, AppClientsController],
  providers: [ServiceClientsRepository, ServiceClientsService, ServiceClientPolicy, AppClientPolicy],
  // For the token endpoint (src/oauth).
  exports: [ServiceClientsService],
})
export class ServiceClientsModule {}
