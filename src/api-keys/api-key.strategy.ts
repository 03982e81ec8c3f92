import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport';
import { httpOrigin } from '../audit/request-origin.decorator';
import { AppConfig } from '../config/app-config';
import { bearerToken } from '../security/credentials';
import { ApiKeyEnvironment, parseApiKey } from './api-key-format';
import { ApiKeyLookup } from './api-key-lookup';
import { keyEnvironment } from './api-key-owner';
import { ApiKeyUsage } from './api-key-usage';

/**
 * The passport strategy for API keys, tried by the global AuthenticationGuard after the JWT one (AppModule, credentialStrategies).
 * The key comes from `X-API-Key` or `Authorization: Bearer` and nowhere else: never the query
 * string or the body (docs/http-contract.md; RFC 6750 §5.3, URLs end up in logs and browser histories).
 */
@Injectable()
export class ApiKeyStrategy extends Strategy {
  override readonly name = 'api-key';
  private readonly environment: ApiKeyEnvironment;

  constructor(
    private readonly lookup: ApiKeyLookup,
    private readonly usage: ApiKeyUsage,
    config: AppConfig,
  ) {
    super();
    this.environment = keyEnvironment(config);
  }

  /** `request` is the Fastify request the guard hands to passport. */
  override authenticate(request: unknown): void {
    const http = request as FastifyRequest;
    const key = parseApiKey(presentedKey(http) ?? '');
    // Shape, prefix and checksum are checked in memory first: a typo, a JWT or a made-up key is
    // refused here, without a database lookup (docs/http-contract.md, API keys). So is a test key in production.
    if (!key || key.environment !== this.environment) return this.fail(401);
    this.lookup.principalFor(key).then(
      (principal) => {
        if (!principal) return this.fail(401);
        this.usage.record(principal, httpOrigin(http));
        this.success(principal);
      },
      (error: unknown) => this.error(error as Error),
    );
  }
}

function presentedKey(request: FastifyRequest): string | null {
  const header = request.headers['x-api-key'];
  // A repeated header never gets here: the authentication guard counts it as two credentials.
  if (header !== undefined) return typeof header === 'string' ? header : null;
  return bearerToken(request);
}
