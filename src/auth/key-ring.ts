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

/**
 * The signing keys, parsed once at boot (never per request): the current key signs; the current and,
 * during a rotation, the previous key verify. A token selects a key by `kid` from this fixed map and
 * nothing else: never a key or URL named by the token itself.
 */
export class KeyRing {
  readonly signingKey: SigningKey;
  readonly jwks: { keys: PublicJwk[] };
  private readonly verificationKeys: ReadonlyMap<string, KeyObject>;

  constructor({ current, previous }: ServiceSecrets['signingKeys']) {
    const keys = previous ? [current, previous] : [current];
    this.signingKey = current;
    this.verificationKeys = new Map(keys.map((key) => [key.kid, key.publicKey]));
    this.jwks = { keys: keys.map(publicJwk) };
  }

  /** The public key to verify this token with, or undefined when its header is not one we issue. */
  verificationKeyFor(token: string): KeyObject | undefined {
    const kid = trustedKeyId(decodeHeader(token));
    return kid === undefined ? undefined : this.verificationKeys.get(kid);
  }
}

function publicJwk(key: SigningKey): PublicJwk {
  // Exported from the public KeyObject, so no private member (d, p, q, dp, dq, qi) can slip in.
  const { kty, n, e } = key.publicKey.export({ format: 'jwk' });
  return { kty: kty!, kid: key.kid, use: 'sig', alg: ACCESS_TOKEN_ALGORITHM, n: n!, e: e! };
}
