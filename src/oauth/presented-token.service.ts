import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { issuedTo, PresentedToken, PresentedTokens } from '../auth/presented-tokens';
import { TOKEN_AUDIENCE } from '../auth/token.constants';
import { AppConfig } from '../config/app-config';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { ClientAuthentication } from './client-authentication';
import { IntrospectionResponse } from './introspection.response';
import { OAuthError } from './oauth-error';
import { PresentedTokenRequest } from './presented-token-request';

const INACTIVE: IntrospectionResponse = { active: false };

/** RFC 7009 revocation and RFC 7662 introspection: a client hands back a token it holds. */
@Injectable()
export class PresentedTokenService {
  constructor(
    private readonly clientAuthentication: ClientAuthentication,
    private readonly tokens: PresentedTokens,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * RFC 7009 §2.1–2.2: a client ends a token it was issued, public apps included (that is how an SPA signs out).
   * A token we never issued, or one already expired, is answered 200 all the same: there is nothing left to end,
   * and the client's job (forgetting it) is done. A token issued to another client is refused (§2.1), and stays.
   */
  async revoke({ token, credentials }: PresentedTokenRequest, origin: HttpOrigin, report: RateLimitReport): Promise<void> {
    const client = await this.clientAuthentication.authenticate(credentials, 'oauth.revoke', origin, report);
    const presented = await this.tokens.find(token);
    if (!presented) return;
    if (!issuedTo(presented, client)) throw new OAuthError('invalid_request', 'The token was not issued to this client');
    await this.tokens.revoke(presented);
    await this.audit.record({
      ...origin,
      actorType: 'client',
      actorId: client.id,
      action: 'oauth.revoke',
      targetType: presented.kind === 'refresh' ? 'refresh_token' : 'access_token',
      targetId: presented.kind === 'refresh' ? presented.token.familyId : presented.token.revocationRef.tokenId,
      outcome: 'success',
    });
  }

  /**
   * RFC 7662 §2.1: confidential clients only (a public app's id proves nothing), and only about tokens issued to
   * them: any other token is `{ active: false }` (§2.2), whether it exists or not, so a client learns nothing
   * of another's tokens.
   */
  async introspect({ token, credentials }: PresentedTokenRequest, origin: HttpOrigin, report: RateLimitReport): Promise<IntrospectionResponse> {
    const client = await this.clientAuthentication.authenticate(credentials, 'oauth.introspect', origin, report);
    if (client.type !== 'confidential') throw new OAuthError('invalid_client', 'Introspection needs a confidential client and its secret');
    const presented = await this.tokens.find(token);
    if (!presented?.active || !issuedTo(presented, client)) return INACTIVE;
    return { active: true, client_id: client.clientId, iss: this.config.publicUrl, ...claimsOf(presented) };
  }
}

/** What RFC 7662 §2.2 says about an active token, from the token itself (access) or its row (refresh). */
function claimsOf(presented: PresentedToken): Omit<IntrospectionResponse, 'active' | 'client_id' | 'iss'> {
  if (presented.kind === 'refresh') {
    const { token } = presented;
    return { scope: (token.scopes ?? []).join(' '), sub: `user:${token.userId}`, exp: seconds(token.expiresAt), iat: seconds(token.createdAt) };
  }
  const { principal, lifetime } = presented.token;
  return {
    token_type: 'Bearer',
    scope: [...principal.scopes].join(' '),
    sub: `${principal.kind}:${principal.id}`,
    exp: lifetime.exp,
    iat: lifetime.iat,
    aud: TOKEN_AUDIENCE,
    jti: principal.tokenId,
  };
}

function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
