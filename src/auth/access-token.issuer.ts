import { Injectable } from '@nestjs/common';
import { sign } from 'jsonwebtoken';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import {
  AppTokenClaims,
  buildAccessTokenClaims,
  buildAppTokenClaims,
  buildClientTokenClaims,
  ClientTokenClaims,
  TokenApp,
  TokenClient,
  TokenSubject,
  UserTokenClaims,
} from './access-token-claims';
import { KeyRing } from './key-ring';
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TYPE } from './token.constants';

export interface IssuedAccessToken {
  token: string;
  /** The token's `jti` and `exp` (seconds), kept with its refresh token so a family can revoke it. */
  id: string;
  expiresAt: number;
  /** The scopes it carries, space-separated (its `scope` claim). */
  scope: string;
}

/** Signs access tokens (RS256) with the current key, named by `kid` so verifiers pick the right one. */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    private readonly keys: KeyRing,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** A user's token, after a login or a refresh. */
  issue(user: TokenSubject): IssuedAccessToken {
    return this.sign(buildAccessTokenClaims(user, randomUUID(), this.clock.now().getTime(), this.config.publicUrl));
  }

  /** A user's token for an app they authorized (authorization code grant): the app's client_id and granted scopes, no role. */
  issueForApp(user: Omit<TokenSubject, 'role'>, app: TokenApp): IssuedAccessToken {
    return this.sign(buildAppTokenClaims(user, app, randomUUID(), this.clock.now().getTime(), this.config.publicUrl));
  }

  /** A service client's token (client credentials grant): no role, no refresh token. */
  issueForClient(client: TokenClient): IssuedAccessToken {
    return this.sign(buildClientTokenClaims(client, randomUUID(), this.clock.now().getTime(), this.config.publicUrl));
  }

  private sign(claims: UserTokenClaims | AppTokenClaims | ClientTokenClaims): IssuedAccessToken {
    const { kid, privateKey } = this.keys.signingKey;
    // A KeyObject, parsed once at boot: jsonwebtoken would re-parse a PEM string on every call.
    const token = sign(claims, privateKey, {
      algorithm: ACCESS_TOKEN_ALGORITHM,
      header: { alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid },
    });
    return { token, id: claims.jti, expiresAt: claims.exp, scope: claims.scope };
  }
}
