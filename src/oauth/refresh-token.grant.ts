import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { hashOpaqueToken } from '../auth/opaque-token';
import { SessionsService } from '../auth/sessions.service';
import { ServiceClient } from '../service-clients/service-client.entity';
import { ServiceClientsService } from '../service-clients/service-clients.service';
import { OAuthError } from './oauth-error';
import { TokenRequest } from './token-request';
import { TokenResponse, tokenResponseOf } from './token.response';

/**
 * The refresh token grant for apps (RFC 6749 §6): the families of the users' own logins, rotated with reuse
 * detection (RFC 9700 §4.14.2, SessionsService), each bound to the app it was opened for. `scope` is ignored
 * (RFC 6749 §3.3 allows it): the new access token carries what the user granted, and says so in `scope`.
 */
@Injectable()
export class RefreshTokenGrant {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ServiceClientsService,
    private readonly sessions: SessionsService,
  ) {}

  async refresh(client: ServiceClient, { refreshToken }: TokenRequest, origin: HttpOrigin): Promise<TokenResponse> {
    if (!refreshToken) throw new OAuthError('invalid_request', 'refresh_token is required');
    const tokenHash = hashOpaqueToken(refreshToken);
    const app = { id: client.id, clientId: client.clientId };
    const tokens = await this.dataSource.transaction(async (manager) =>
      // As for a code: a deletion of the client waits for this rotation, then revokes its new token too.
      (await this.clients.holdActive(client, manager)) ? this.sessions.rotate(tokenHash, app, origin, manager) : undefined,
    );
    if (tokens) return tokenResponseOf(tokens);
    await this.sessions.refuseRefresh(tokenHash, origin);
    throw new OAuthError('invalid_grant', "The refresh token is unknown, expired, revoked or used, or is not this client's");
  }
}
