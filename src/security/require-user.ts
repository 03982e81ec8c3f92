import { ProblemException } from '../common/http/problem.exception';
import { PROBLEM_TYPES } from '../common/http/problem-types';
import { Principal } from './principal';

/** A user's access token, as the routes that need one (logout) see it. */
export interface UserToken {
  userId: string;
  tokenId: string;
  expiresAt: number;
  /** The generation the token was issued in: what it creates must not outlive a revocation racing it. */
  generation: number;
}

/** The user behind a request to a route for users (docs/http-contract.md, Users): a service client gets `403`. */
export function requireUser(principal: Principal): string {
  if (principal.kind !== 'user') throw new ProblemException(403, 'Only users can use this route');
  return principal.id;
}

/**
 * Routes about the account itself (its profile): the user's own credential. An app's token gets `403`: the user
 * granted it scopes over their orders, not their account (docs/http-contract.md, Delegated authorization).
 */
export function requireAccountHolder(principal: Principal): string {
  if (principal.appClientId !== undefined) throw new ProblemException(403, 'An app’s access token cannot use this route');
  return requireUser(principal);
}

/**
 * Routes docs/http-contract.md marks "user token": an API key gets `403` too, so a key cannot log its owner out,
 * change their password or edit their profile; and so does an app's token, so an app cannot mint a key or end
 * the user's sessions.
 */
export function requireUserToken(principal: Principal): UserToken {
  const userId = requireAccountHolder(principal);
  if (principal.keyId !== undefined || principal.tokenId === undefined || principal.tokenExpiresAt === undefined || principal.tokenGeneration === undefined) {
    throw new ProblemException(403, 'This route needs a user access token');
  }
  return { userId, tokenId: principal.tokenId, expiresAt: principal.tokenExpiresAt, generation: principal.tokenGeneration };
}

/**
 * Routes that spend or mint something in the user's name (placing an order, creating an API key) need a verified
 * address: until then the account may sign in and look, nothing more (docs/http-contract.md, Accounts).
 */
export function requireVerifiedEmail(principal: Principal): void {
  if (principal.emailVerified === false) {
    throw new ProblemException(
      403,
      'Verify your e-mail address first (a token issued before the verification needs a refresh)',
      {},
      undefined,
      PROBLEM_TYPES.emailNotVerified,
    );
  }
}
