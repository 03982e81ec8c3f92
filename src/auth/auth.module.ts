import { Logger, Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { AppConfig } from '../config/app-config';
import { redisOrMemory } from '../redis/redis-or-memory';
import { RedisModule } from '../redis/redis.module';
import { SERVICE_SECRETS, ServiceSecrets } from '../secrets/service-secrets';
import { RateLimitModule } from '../throttling/rate-limit.module';
import { UsersModule } from '../users/users.module';
import { AccessTokenIssuer } from './access-token.issuer';
import { AccessTokenVerifier } from './access-token-verifier';
import { PresentedTokens } from './presented-tokens';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { JwksController } from './jwks.controller';
import { JwtStrategy } from './jwt.strategy';
import { KeyRing } from './key-ring';
import { AccountMailThrottle, LoginThrottle } from './login-throttle';
import { AccountLinksController } from './account-links.controller';
import { AccountMailComposer } from './account-links/account-mail.composer';
import { AccountTokensRepository } from './account-links/account-tokens.repository';
import { AddressMails } from './account-links/address-mails';
import { EmailChangeController } from './email-change.controller';
import { EmailChangeService } from './email-change.service';
import { EmailVerificationService } from './email-verification.service';
import { PasswordResetService } from './password-reset.service';
import { SessionsController } from './sessions.controller';
import { SessionPolicy } from './session.policy';
import { LoginService } from './login.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { MemoryRevocationStore } from './revocation/memory-revocation-store';
import { assertNoEviction, RedisRevocationStore } from './revocation/redis-revocation-store';
import { RevocationLedger } from './revocation/revocation-ledger';
import { Revocations } from './revocation/revocations';
import { REVOCATION_STORE, RevocationStore } from './revocation/revocation-store';
import { SessionsService } from './sessions.service';

const logger = new Logger('Revocations');

@Module({
  // ApiKeysModule: revoking all of a user's sessions revokes their API keys too.
  imports: [UsersModule, AuditModule, RedisModule, RateLimitModule, ApiKeysModule],
  controllers: [AuthController, AccountLinksController, SessionsController, EmailChangeController, JwksController],
  providers: [
    { provide: KeyRing, inject: [SERVICE_SECRETS], useFactory: (secrets: ServiceSecrets) => new KeyRing(secrets.signingKeys) },
    redisOrMemory<RevocationStore>(REVOCATION_STORE, 'revoked:', {
      onRedis: async (redis, keyPrefix, clock) => {
        if ((await assertNoEviction(redis)) === 'unchecked') {
          logger.warn('Could not read the maxmemory-policy of Redis (CONFIG refused): it must be noeviction, or revoked tokens could come back');
        }
        return new RedisRevocationStore(redis, keyPrefix, clock);
      },
      inMemory: (clock) => new MemoryRevocationStore(clock),
    }),
    RefreshTokensRepository,
    PresentedTokens,
    RevocationLedger,
    Revocations,
    AccessTokenIssuer,
    {
      provide: AccessTokenVerifier,
      inject: [KeyRing, AppConfig],
      useFactory: (keys: KeyRing, config: AppConfig) => new AccessTokenVerifier(keys, config.publicUrl),
    },
    JwtStrategy,
    LoginThrottle,
    AccountMailThrottle,
    LoginService,
    AccountsService,
    SessionsService,
    SessionPolicy,
    AccountTokensRepository,
    AddressMails,
    AccountMailComposer,
    EmailVerificationService,
    PasswordResetService,
    EmailChangeService,
  ],
  // JwtStrategy for the AuthenticationGuard (AppModule lists it); SessionsService.revokeAllForUser for suspension;
  // KeyRing for SecretsRefreshModule, which swaps in rotated signing keys.
  // AccessTokenIssuer and Revocations for service clients (their tokens, and their deletion).
  // AccountMailComposer for the outbox worker (AppModule registers it).
  // LoginService for the sign-in page of the OAuth authorization endpoint.
  exports: [JwtStrategy, SessionsService, PresentedTokens, AccountsService, KeyRing, AccessTokenIssuer, Revocations, AccountMailComposer, LoginService],
})
export class AuthModule {}
