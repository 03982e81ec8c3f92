import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { hashOpaqueToken } from '../auth/opaque-token';
import { SessionsService } from '../auth/sessions.service';
import { ServiceClient } from '../service-clients/service-client.entity';
import { ServiceClientsService } from '../service-clients/service-clients.service';
import { UsersRepository } from '../users/users.repository';
import { AuthorizationRequestsRepository } from './authorization-requests.repository';
import { OAuthError } from './oauth-error';
import { isCodeVerifier, s256Challenge } from './pkce';
import { TokenRequest } from './token-request';
import { TokenResponse, tokenResponseOf } from './token.response';

/**
 * The authorization code grant at the token endpoint (RFC 6749 §4.1.3, RFC 7636 §4.5–4.6): a code is redeemed
 * once, by the client it was issued to, with the redirect URI it was sent to and the verifier of its challenge,
 * for a new refresh-token family of that app (SessionsService.openForApp). A code presented again revokes what
 * its first redemption issued (§4.1.2), on every instance.
 */
@Injectable()
export class AuthorizationCodeGrant {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly requests: AuthorizationRequestsRepository,
    private readonly clients: ServiceClientsService,
    private readonly sessions: SessionsService,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  async exchange(client: ServiceClient, { code, redirectUri, codeVerifier }: TokenRequest, origin: HttpOrigin): Promise<TokenResponse> {
    // OAuth 2.1 §4.1.3: the verifier is required whenever a challenge was sent, which is always here.
    if (!code || !redirectUri || !codeVerifier) throw new OAuthError('invalid_request', 'code, redirect_uri and code_verifier are required');
    if (!isCodeVerifier(codeVerifier)) throw new OAuthError('invalid_request', 'code_verifier must be 43 to 128 unreserved characters (RFC 7636 4.1)');
    const codeHash = hashOpaqueToken(code);
    const familyId = randomUUID();
    const tokens = await this.dataSource.transaction(async (manager) => {
      // A deletion of the client waits for this transaction, then revokes the family it opens (ServiceClientsService.delete).
      if (!(await this.clients.holdActive(client, manager))) return undefined;
      const binding = { codeHash, clientId: client.id, redirectUri, codeChallenge: s256Challenge(codeVerifier), familyId };
      const redeemed = await this.requests.redeem(binding, manager);
      if (!redeemed) return undefined;
      const user = await this.users.get(redeemed.userId, manager);
      const app = { id: client.id, clientId: client.clientId, scopes: redeemed.scopes };
      return this.sessions.openForApp(user, app, { familyId, tokenGeneration: redeemed.tokenGeneration }, origin, manager);
    });
    if (tokens) return tokenResponseOf(tokens);
    await this.refuse(codeHash, client, origin);
    throw new OAuthError('invalid_grant', "The code is unknown, expired or used, or is not this client's, redirect URI's or code_verifier's");
  }

  /**
   * A code that was redeemed before is being used again: by the client retrying, or by whoever stole it, and we
   * cannot tell which. RFC 6749 §4.1.2: the family its first redemption opened is revoked, with every access
   * token issued in it.
   */
  private async refuse(codeHash: string, client: ServiceClient, origin: HttpOrigin): Promise<void> {
    const familyId = await this.requests.redeemedFamily(codeHash);
    if (!familyId) return;
    await this.sessions.endFamily(familyId);
    await this.audit.record({
      ...origin,
      actorType: 'client',
      actorId: client.id,
      action: 'oauth.code_reuse',
      targetType: 'app_client',
      targetId: client.id,
      outcome: 'failure',
    });
  }
}
