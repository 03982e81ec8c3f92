import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyStrategy } from './api-keys/api-key.strategy';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AppOptions } from './app.options';
import { AuthModule } from './auth/auth.module';
import { AccountMailComposer } from './auth/account-links/account-mail.composer';
import { mailComposers } from './mail/mail-message';
import { MailModule } from './mail/mail.module';
import { OutboxWorker } from './mail/outbox-worker';
import { JwtStrategy } from './auth/jwt.strategy';
import { SecretsRefreshModule } from './auth/secrets-refresh.module';
import { Clock, SystemClock } from './common/clock';
import { AppConfig } from './config/app-config';
import { Drain } from './common/http/drain';
import { OUTAGE_CLASSIFIERS } from './common/http/outage';
import { ProblemFilter } from './common/http/problem.filter';
import { LoggingModule } from './common/logging/logging.module';
import { loggingOptions } from './common/logging/logging.options';
import { NoUnknownQueryGuard } from './common/validation/no-unknown-query.guard';
import { createValidationPipe } from './common/validation/validation.pipe';
import { dataSourceOptions } from './database/data-source.options';
import { DataRetention } from './database/data-retention';
import { DATABASE_OUTAGE, isDatabaseUnavailable } from './database/postgres-errors';
import { ENTITIES } from './entities';
import { HealthModule } from './health/health.module';
import { OAuthModule } from './oauth/oauth.module';
import { OrdersModule } from './orders/orders.module';
import { ProductsModule } from './products/products.module';
import { SERVICE_SECRETS } from './secrets/service-secrets';
import { ServiceClientsModule } from './service-clients/service-clients.module';
import { UsersModule } from './users/users.module';
import { UserAdminModule } from './user-admin/user-admin.module';
import { AuditModule } from './audit/audit.module';
import { AuthenticationGuard } from './security/authentication.guard';
import { AuthorizationGuard } from './security/authorization.guard';
import { credentialStrategies } from './security/credential-strategies';
import { PolicyGuard } from './security/policy.guard';
import { AnonymousRateLimitGuard } from './throttling/anonymous-rate-limit.guard';
import { PrincipalRateLimitGuard } from './throttling/principal-rate-limit.guard';
import { RateLimitModule } from './throttling/rate-limit.module';

@Module({})
export class AppModule {
  static register(options: AppOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        LoggingModule.forRoot(loggingOptions(options.config.LOG_LEVEL, options.logStream)),
        TypeOrmModule.forRootAsync({
          useFactory: async () => ({
            ...(await dataSourceOptions(options.database, ENTITIES)),
            // A database not reachable yet is worth waiting for; a statement it refuses (a migration
            // the role may not apply) will be refused again: the boot fails at once, not after ~30 s.
            toRetry: isDatabaseUnavailable,
          }),
        }),
        RateLimitModule,
        MailModule.register(options.config, options.secrets.smtpUrl),
        AuthModule,
        UsersModule,
        HealthModule,
        ProductsModule,
        OrdersModule,
        UserAdminModule,
        AuditModule,
        ApiKeysModule,
        ServiceClientsModule,
        OAuthModule,
        // Only secrets that can rotate (AWS) are re-read while the app runs.
        ...(options.secretsRefresh ? [SecretsRefreshModule.register(options.secretsRefresh)] : []),
      ],
      providers: [
        { provide: AppConfig, useValue: options.config },
        { provide: SERVICE_SECRETS, useValue: options.secrets },
        { provide: Clock, useClass: SystemClock },
        Drain,
        // Global, in a fixed order (docs/design.md): deny by default, then validate, then answer.
        // Rate limits sit on both sides of authentication: requests without a credential are
        // limited per client IP before anything else runs; requests with one, per principal,
        // as soon as authentication has said who the principal is (see both guards).
        { provide: APP_GUARD, useClass: AnonymousRateLimitGuard },
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_GUARD, useClass: PrincipalRateLimitGuard },
        // Then function-level (role and scopes: 403) and object-level (policy: 404) authorization.
        { provide: APP_GUARD, useClass: AuthorizationGuard },
        { provide: APP_GUARD, useClass: PolicyGuard },
        // Last: who may call the route is answered before whether its query is well-formed.
        { provide: APP_GUARD, useClass: NoUnknownQueryGuard },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: ProblemFilter },
        // The credential types, each a passport strategy its feature provides, tried in this order; the
        // first that accepts the credential wins. A key in `Authorization: Bearer` fails the JWT strategy
        // at its header check, before any crypto, and a JWT fails the API-key strategy at its length
        // check: neither costs the other much. A new credential type is one more class here.
        credentialStrategies(JwtStrategy, ApiKeyStrategy),
        // The errors that mean a dependency is down, answered 503 by the ProblemFilter (not 500).
        { provide: OUTAGE_CLASSIFIERS, useValue: [DATABASE_OUTAGE] },
        DataRetention,
        // The outbox worker, with every feature's mail composers (a new kind of mail is one more class here).
        mailComposers(AccountMailComposer),
        OutboxWorker,
      ],
      exports: [AppConfig, SERVICE_SECRETS, Clock, Drain],
    };
  }
}
