import { Injectable } from '@nestjs/common';
import { APP_CLIENT_ID, APP_CLIENT_ID_LENGTH } from '../auth/token.constants';
import type { PolicyParam } from '../security/policy';
import type { Principal } from '../security/principal';
import { requireUserToken } from '../security/require-user';
import { OAuthConsentsRepository, OwnAuthorization } from './oauth-consents.repository';

/** An app's public client_id in the path (`app.` and 22 characters): the id its user knows it by. */
const APP_CLIENT_ID_PARAM: PolicyParam = {
  name: 'clientId',
  expected: 'an app client_id',
  // Case matters: a client_id is base64url, compared exactly (RFC 6749 §2.2).
  parse: (raw) => (APP_CLIENT_ID.test(raw) ? raw : undefined),
  schema: { type: 'string', pattern: APP_CLIENT_ID.source, minLength: APP_CLIENT_ID_LENGTH, maxLength: APP_CLIENT_ID_LENGTH },
};

/** The apps a user authorized (`@Policy(AuthorizationPolicy, 'own')`), by the app's public client_id. */
@Injectable()
export class AuthorizationPolicy {
  static readonly notFound = 'Authorization not found';
  static readonly param = APP_CLIENT_ID_PARAM;

  constructor(private readonly consents: OAuthConsentsRepository) {}

  /**
   * The caller's own consent to the app: ownership is part of the lookup, so another user's authorization is the same
   * 404 as none (docs/decisions/0004). The user's own access token only: an app must not withdraw or list grants,
   * nor an API key (403 before any lookup).
   */
  own(principal: Principal, clientId: string): Promise<OwnAuthorization | null> {
    return this.consents.findOwn(requireUserToken(principal).userId, clientId);
  }
}
