import { Injectable } from '@nestjs/common';
import { failClosed } from '../security/security-problems';
import type { VerifiedAccessToken } from './access-token-claims';
import { AccessTokenVerifier } from './access-token-verifier';
import { hashOpaqueToken } from './opaque-token';
import type { RefreshToken } from './refresh-token.entity';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { Revocations } from './revocation/revocations';
import { SessionsService } from './sessions.service';

/** A token a client handed back (RFC 7009 revocation, RFC 7662 introspection), as we issued it. */
export type PresentedToken = { kind: 'access'; token: VerifiedAccessToken; active: boolean } | { kind: 'refresh'; token: RefreshToken; active: boolean };

/** A client as the registry knows it: its registry id and its public `client_id`. */
export interface IssuingClient {
  id: string;
  clientId: string;
}

/** A JWS in compact serialization (RFC 7515 §7.1): three base64url parts. Our refresh tokens are one. */
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * Finds the token a client presents among the ones we issued, and ends it. The token's own form says which kind
 * it is (an access token is a JWT, a refresh token is not), so RFC 7009's `token_type_hint` is never needed; the
 * RFC lets a server ignore it (§2.1).
 */
@Injectable()
export class PresentedTokens {
  constructor(
    private readonly verifier: AccessTokenVerifier,
    private readonly revocations: Revocations,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * The token, if we issued it: an access token whose signature and lifetime hold (`active` unless revoked), or a
   * refresh token we have a row for (`active` while it can still be exchanged). Anything else is undefined.
   */
  async find(token: string): Promise<PresentedToken | undefined> {
    if (COMPACT_JWS.test(token)) {
      const verified = await this.verifier.verify(token);
      if (!verified) return undefined;
      const { verdict } = await failClosed(() => this.revocations.check(verified.revocationRef));
      return { kind: 'access', token: verified, active: verdict === 'valid' };
    }
    const found = await this.refreshTokens.findWithState(hashOpaqueToken(token));
    return found && { kind: 'refresh', token: found.token, active: found.claimable };
  }

  /**
   * Ends the token on every instance. A refresh token ends with its whole family and every access token issued in
   * it (RFC 7009 §2.1: "SHOULD also invalidate all access tokens based on the same authorization grant"); an access
   * token ends alone, and the refresh token it came with goes on working (the RFC's MAY, not taken).
   */
  async revoke(presented: PresentedToken): Promise<void> {
    if (presented.kind === 'refresh') return this.sessions.endFamily(presented.token.familyId);
    const { revocationRef, lifetime } = presented.token;
    await failClosed(() => this.revocations.revokeTokens([{ subject: revocationRef.subject, tokenId: revocationRef.tokenId, expiresAt: lifetime.exp }]));
  }
}

/** Whether the token was issued to this client: an app's (by its `client_id` claim or its family) or a service client's own. */
export function issuedTo(presented: PresentedToken, client: IssuingClient): boolean {
  if (presented.kind === 'refresh') return presented.token.clientId === client.id;
  const { principal } = presented.token;
  return principal.appClientId === client.clientId || (principal.kind === 'client' && principal.id === client.id);
}
