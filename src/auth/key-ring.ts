import { KeyObject } from 'node:crypto';
import { ServiceSecrets, SigningKey } from '../secrets/service-secrets';
import { decodeHeader, trustedKeyId } from './access-token-header';
import { ACCESS_TOKEN_ALGORITHM } from './token.constants';

/** A public key as published in the JWKS (RFC 7517), RSA members only. */
export interface PublicJwk {
  kty: string;
  kid: string;
  use: 'sig';
  alg: string;
  n: string;
  e: string;
}

type SigningKeys = ServiceSecrets['signingKeys'];

/** Everything derived from one set of signing keys, built once and never changed afterwards. */
interface KeySet {
  signingKey: SigningKey;
  jwks: { keys: PublicJwk[] };
  verificationKeys: ReadonlyMap<string, KeyObject>;
  /** The same keys, to ask whether one still verifies. */
  verifyingKeys: ReadonlySet<KeyObject>;
}

/**
 * The signing keys, parsed once when loaded (never per request): the current key signs; the current
 * and, during a rotation, the previous key verify. A token selects a key by `kid` from this map and
 * nothing else: never a key or URL named by the token itself.
 *
 * A rotation (SecretsRefreshModule) replaces the whole set with one assignment, so every reader sees
 * either the old keys or the new ones, never a mix (e.g. a new `kid` with the old private key).
 */
export class KeyRing {
  private keys: KeySet;
  private reloader?: () => Promise<void>;
  private reloading?: Promise<void>;
  private lastReloadAt = -Infinity;

  constructor(signingKeys: SigningKeys) {
    this.keys = keySetOf(signingKeys);
  }

  replace(signingKeys: SigningKeys): void {
    this.keys = keySetOf(signingKeys);
  }

  /**
   * How to re-read the keys at once (SecretsRefreshModule sets it when secrets can rotate). With
   * several instances, one that re-reads the secret first signs with the new key before the others
   * know it; they re-read when such a token arrives instead of refusing it until their next refresh.
   */
  reloadWith(reloader: () => Promise<void>): void {
    this.reloader = reloader;
  }

  get signingKey(): SigningKey {
    return this.keys.signingKey;
  }

  get jwks(): { keys: PublicJwk[] } {
    return this.keys.jwks;
  }

  /** The public key to verify this token with, or undefined when its header is not one we issue. */
  async verificationKeyFor(token: string): Promise<KeyObject | undefined> {
    const kid = trustedKeyId(decodeHeader(token));
    if (kid === undefined) return undefined;
    const key = this.keys.verificationKeys.get(kid);
    if (key || !this.reloader) return key;
    await this.reloadUnlessRecent();
    return this.keys.verificationKeys.get(kid);
  }

  /** Whether `key` still verifies tokens: false once a rotation has retired it (or a reload re-read it). */
  stillVerifies(key: KeyObject): boolean {
    return this.keys.verifyingKeys.has(key);
  }

  /**
   * Anyone can send a token with a made-up kid, so a kid we do not know triggers at most one re-read
   * per RELOAD_MIN_INTERVAL_MS; requests arriving meanwhile wait for the read in flight (OWASP API4).
   */
  private reloadUnlessRecent(): Promise<void> {
    if (this.reloading) return this.reloading;
    if (performance.now() - this.lastReloadAt < RELOAD_MIN_INTERVAL_MS) return Promise.resolve();
    this.lastReloadAt = performance.now();
    this.reloading = this.reloader!().finally(() => (this.reloading = undefined));
    return this.reloading;
  }
}

/** The most often a token with an unknown kid makes this instance re-read its secret. */
const RELOAD_MIN_INTERVAL_MS = 30_000;

function keySetOf({ current, previous }: SigningKeys): KeySet {
  const keys = previous ? [current, previous] : [current];
  return {
    signingKey: current,
    jwks: { keys: keys.map(publicJwk) },
    verificationKeys: new Map(keys.map((key) => [key.kid, key.publicKey])),
    verifyingKeys: new Set(keys.map((key) => key.publicKey)),
  };
}

function publicJwk(key: SigningKey): PublicJwk {
  // Exported from the public KeyObject, so no private member (d, p, q, dp, dq, qi) can slip in.
  const { kty, n, e } = key.publicKey.export({ format: 'jwk' });
  return { kty: kty!, kid: key.kid, use: 'sig', alg: ACCESS_TOKEN_ALGORITHM, n: n!, e: e! };
}
