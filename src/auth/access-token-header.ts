import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TYPE } from './token.constants';

/**
 * Explicit typing (RFC 8725 §3.11): no other kind of JWT passes for an access token. RFC 9068 §4:
 * `at+jwt`, or the same media type written in full, compared case-insensitively.
 */
const ACCEPTED_TYPES = [ACCESS_TOKEN_TYPE, `application/${ACCESS_TOKEN_TYPE}`];

/**
 * Header members that hand the verifier a key, or a URL to fetch one from. An attacker would name
 * their own key, so a token carrying any of them is refused outright (RFC 8725 §3.10).
 */
const KEY_SELECTING_MEMBERS = ['jku', 'x5u', 'jwk', 'x5c'];

/** The JOSE header of a compact JWT, parsed but not yet trusted; undefined when it is not JSON. */
export function decodeHeader(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token.split('.', 1)[0], 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The `kid` of a header we could have written ourselves, else undefined. Runs before the signature
 * is checked, so nothing in an unexpected header ever chooses how the token is verified.
 */
export function trustedKeyId(header: unknown): string | undefined {
  if (typeof header !== 'object' || header === null) return undefined;
  const members = header as Record<string, unknown>;
  // RFC 8725 §3.1: the algorithm is ours to choose, never the token's (no `none`, no HS256 with a public key).
  if (members.alg !== ACCESS_TOKEN_ALGORITHM) return undefined;
  if (typeof members.typ !== 'string' || !ACCEPTED_TYPES.includes(members.typ.toLowerCase())) return undefined;
  if (KEY_SELECTING_MEMBERS.some((name) => Object.hasOwn(members, name))) return undefined;
  // RFC 7515 §4.1.11: a critical extension we do not implement makes the token invalid.
  if (Object.hasOwn(members, 'crit')) return undefined;
  return typeof members.kid === 'string' ? members.kid : undefined;
}
