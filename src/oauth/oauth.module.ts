import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { AuthModule } from '../auth/auth.module';
import { ServiceClientsModule } from '../service-clients/service-clients.module';
import { RateLimitModule } from '../throttling/rate-limit.module';
import { UsersModule } from '../users/users.module';
import { AuthorizationCodeGrant } from './authorization-code.grant';
import { AuthorizationRequestsRepository } from './authorization-requests.repository';
import { AuthorizeController } from './authorize.controller';
import { AuthorizationPolicy } from './authorization.policy';
import { AuthorizeService } from './authorize.service';
import { ClientAuthentication } from './client-authentication';
import { OAuthConsentsRepository } from './oauth-consents.repository';
import { OAuthMetadataController } from './oauth-metadata.controller';
import { PresentedTokenController } from './presented-token.controller';
import { PresentedTokenService } from './presented-token.service';
import { RefreshTokenGrant } from './refresh-token.grant';
import { TokenThrottle } from './token-throttle';
import { TokenController } from './token.controller';
import { TokenService } from './token.service';
import { UserAuthorizationsController } from './user-authorizations.controller';
import { UserAuthorizationsService } from './user-authorizations.service';

@Module({
  // AuthModule for the AccessTokenIssuer (every token is signed alike: RS256, same keys), the sessions (an app's
  // refresh-token families) and the login (the sign-in page checks passwords as POST /auth/login does).
  imports: [AuditModule, AuthModule, RateLimitModule, ServiceClientsModule, UsersModule],
  controllers: [TokenController, PresentedTokenController, OAuthMetadataController, AuthorizeController, UserAuthorizationsController],
  providers: [
    TokenService,
    ClientAuthentication,
    PresentedTokenService,
    TokenThrottle,
    AuthorizationCodeGrant,
    RefreshTokenGrant,
    AuthorizeService,
    AuthorizationRequestsRepository,
    OAuthConsentsRepository,
    UserAuthorizationsService,
    AuthorizationPolicy,
  ],
})
export class OAuthModule {}
