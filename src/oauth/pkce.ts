import { createHash } from 'node:crypto';

/** The one PKCE method accepted (RFC 7636 §4.2): OAuth 2.1 §4.1.1 forbids `plain` where S256 can be used. */
export const PKCE_METHOD = 'S256';

/** RFC 7636 §4.2: an S256 challenge is BASE64URL(SHA-256(verifier)), always 43 characters. */
export const CODE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** RFC 7636 §4.1: a verifier is 43 to 128 unreserved characters. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export function isCodeVerifier(text: string): boolean {
  return CODE_VERIFIER.test(text);
}

/** The S256 challenge of a verifier (RFC 7636 §4.6), for comparison with the one the authorization request sent. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
