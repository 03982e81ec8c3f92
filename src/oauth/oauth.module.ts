import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ServiceClientsModule } from '../service-clients/service-clients.module';
import { RateLimitModule } from '../throttling/rate-limit.module';
import { OAuthMetadataController } from './oauth-metadata.controller';
import { TokenThrottle } from './token-throttle';
import { TokenController } from './token.controller';
import { TokenService } from './token.service';

@Module({
  // AuthModule for the AccessTokenIssuer: client tokens are signed like users' (RS256, same keys).
  imports: [AuditModule, AuthModule, RateLimitModule, ServiceClientsModule],
  controllers: [TokenController, OAuthMetadataController],
  providers: [TokenService, TokenThrottle],
})
export class OAuthModule {}
