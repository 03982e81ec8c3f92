import { verify, VerifyOptions } from 'jsonwebtoken';
import type { KeyObject } from 'node:crypto';
import { ExpiringMap } from '../common/expiring-map';
import { readAccessToken, VerifiedAccessToken, withinLifetime } from './access-token-claims';
import { KeyRing } from './key-ring';
import { ACCESS_TOKEN_ALGORITHM, CLOCK_TOLERANCE_SECONDS, TOKEN_AUDIENCE } from './token.constants';

/**
 * Bounds the memory of verified tokens (an entry is about 2 KB: the token is its key); past it, the one verified
 * longest ago is forgotten, and verified again at its next use.
 */
export const MAX_VERIFIED_TOKENS = 10_000;

/** A token as it was verified, and the key that verified it. */
interface VerifiedEntry {
  token: VerifiedAccessToken;
  key: KeyObject;
}

/**
 * Verifies access tokens, in this order: the header (before any crypto), the RS256 signature with the key its
 * `kid` names in our key ring, `iss`, `aud`, `exp`, `nbf`, then the claims (readAccessToken). Revocation is the
 * caller's to check, on every request (JwtStrategy).
 *
 * The signature is verified once per token, not on every request that sends it: a token that passed is kept,
 * by the whole token string (a token with any byte changed is another key, verified afresh), and only while
 * - it has not expired: the entry goes at `exp` (plus the clock tolerance), and every use checks `exp`, `nbf`
 *   and `iat` against the clock again (withinLifetime);
 * - the key that verified it still verifies: once a rotation retires that key, its tokens are verified again,
 *   and refused, since the key ring no longer holds it.
 * Only tokens that passed are kept, so a flood of forged ones fills nothing; and at most `maxTokens`.
 */
export class AccessTokenVerifier {
  private readonly verified: ExpiringMap<string, VerifiedEntry>;
  private readonly options: VerifyOptions;

  /** `issuer`: the configured PUBLIC_URL (AppConfig.publicUrl), the `iss` of every token we issue. */
  constructor(
    private readonly keys: KeyRing,
    issuer: string,
    maxTokens = MAX_VERIFIED_TOKENS,
  ) {
    this.verified = new ExpiringMap(() => Date.now(), maxTokens);
    this.options = {
      // Pinned: jsonwebtoken refuses `none`, HS256 and every other algorithm (RFC 8725 §3.1).
      algorithms: [ACCESS_TOKEN_ALGORITHM],
      issuer,
      audience: TOKEN_AUDIENCE,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    };
  }

  /** The verified token, or undefined when it is refused, whatever the reason. */
  async verify(token: string): Promise<VerifiedAccessToken | undefined> {
    // The system clock, not the injected Clock: jsonwebtoken checks exp and nbf against it, and one token must
    // not be judged by two clocks.
    const nowSeconds = Math.floor(Date.now() / 1000);
    const kept = this.verified.get(token);
    if (kept && this.keys.stillVerifies(kept.key) && withinLifetime(kept.token.lifetime, nowSeconds)) return kept.token;
    // A key ring that cannot re-read its keys refuses the token, as one that does not know its kid.
    const key = await this.keys.verificationKeyFor(token).catch(() => undefined);
    const verified = key && this.verifyWith(key, token, nowSeconds);
    if (!verified) return undefined;
    // Frozen: every request that sends the token shares this principal.
    Object.freeze(verified.principal);
    this.verified.set(token, { token: verified, key }, (verified.lifetime.exp + CLOCK_TOLERANCE_SECONDS) * 1000);
    return verified;
  }

  private verifyWith(key: KeyObject, token: string, nowSeconds: number): VerifiedAccessToken | undefined {
    let payload: unknown;
    try {
      // The KeyObject parsed at boot (no key parsing per request).
      payload = verify(token, key, { ...this.options, clockTimestamp: nowSeconds });
    } catch {
      return undefined;
    }
    return readAccessToken(payload, nowSeconds);
  }
}
