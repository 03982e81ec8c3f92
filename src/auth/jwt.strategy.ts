import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport';
import { bearerToken } from '../security/credentials';
import { Principal } from '../security/principal';
import { PrincipalQuota } from '../throttling/principal-quota';
import { AccessTokenVerifier } from './access-token-verifier';
import { Revocations } from './revocation/revocations';

/**
 * The passport strategy for access tokens (`Authorization: Bearer`), tried first by the global AuthenticationGuard
 * (AppModule, credentialStrategies). The token is verified in memory first (AccessTokenVerifier: header,
 * signature, claims), then checked for revocation on every request: the only step that leaves the process, so
 * only well-formed tokens reach it. That round trip to the revocation store also counts the request against its
 * principal's rate limit (PrincipalQuota), so an authenticated request goes to Redis once.
 */
@Injectable()
export class JwtStrategy extends Strategy {
  override readonly name = 'jwt';

  constructor(
    private readonly tokens: AccessTokenVerifier,
    private readonly revocations: Revocations,
    private readonly quota: PrincipalQuota,
  ) {
    super();
  }

  /** `request` is the Fastify request the guard hands to passport. A refusal lets passport try the next strategy. */
  override authenticate(request: unknown): void {
    this.principalFor(request as FastifyRequest).then(
      (principal) => (principal ? this.success(principal) : this.fail(401)),
      (error: unknown) => this.error(error as Error),
    );
  }

  private async principalFor(request: FastifyRequest): Promise<Principal | undefined> {
    const token = bearerToken(request);
    const verified = token === null ? undefined : await this.tokens.verify(token);
    if (!verified) return undefined;
    const charge = this.quota.alongside(request, verified.principal);
    const { verdict, counted } = await this.revocations.check(verified.revocationRef, charge?.hit);
    if (verdict === 'revoked') return undefined;
    if (charge && counted) charge.counted(counted);
    return verified.principal;
  }
}
