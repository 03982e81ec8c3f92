import { createHmac, createSign, KeyObject, randomUUID } from 'node:crypto';
import { ACCESS_TOKEN_TTL_SECONDS, FIRST_PARTY_CLIENT_ID, TOKEN_AUDIENCE } from '../../src/auth/token.constants';
import { loadConfig } from '../../src/config/app-config';

/** The `iss` of a test app's tokens: its configured public URL, by default the local address. */
export const TEST_APP_ISSUER = loadConfig({ NODE_ENV: 'test' }).publicUrl;

/** An https public URL for apps under NODE_ENV=production, which require one (RFC 8414 §2). Loopback only. */
export const PRODUCTION_PUBLIC_URL = 'https://localhost';

/**
 * JWTs built by hand with node:crypto (no JWT library), so tests can make exactly the malformed
 * and malicious tokens a library would refuse to produce.
 */
export type JsonObject = Record<string, unknown>;

export function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

export function encodeSegment(value: JsonObject): string {
  return base64url(JSON.stringify(value));
}

/** `header.payload` as it is signed. */
export function signingInput(header: JsonObject, payload: JsonObject): string {
  return `${encodeSegment(header)}.${encodeSegment(payload)}`;
}

export function signRs256(input: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(input).sign(privateKey, 'base64url');
}

export function signHs256(input: string, secret: string | Buffer): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

/** A compact JWT signed RS256 with `privateKey`, whatever header and payload it is given. */
export function forgeRs256(header: JsonObject, payload: JsonObject, privateKey: KeyObject): string {
  const input = signingInput(header, payload);
  return `${input}.${signRs256(input, privateKey)}`;
}

/** The header and claims a genuine access token of ours has, for tests to start from and spoil. */
export function genuineHeader(kid: string): JsonObject {
  return { alg: 'RS256', typ: 'at+jwt', kid };
}

export function genuineClaims(userId: string, overrides: JsonObject = {}): JsonObject {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: TEST_APP_ISSUER,
    aud: TOKEN_AUDIENCE,
    sub: `user:${userId}`,
    jti: randomUUID(),
    iat: now,
    exp: now + ACCESS_TOKEN_TTL_SECONDS,
    role: 'customer',
    scope: 'orders:read orders:write',
    client_id: FIRST_PARTY_CLIENT_ID,
    gen: 0,
    // Required on a user's token (a boolean): a token without it is refused.
    email_verified: true,
    ...overrides,
  };
}

export function decodeSegment(token: string, index: 0 | 1): JsonObject {
  return JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString('utf8')) as JsonObject;
}

/** Flips one bit in the middle of the signature, keeping it valid base64url of the same length. */
export function flipSignatureBit(token: string): string {
  const [header, payload, signature] = token.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[bytes.length >> 1] ^= 0x01;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}
