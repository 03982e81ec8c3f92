import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../common/sha256';

/**
 * An opaque token: 256 random bits, base64url (refresh tokens, and the tokens in account links). Not a JWT, so it
 * can never pass for an access token; too many bits to guess, so a fast hash is enough to store it by.
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database stores instead of the token (hex SHA-256): a leaked table yields no usable token (OWASP ASVS V3.5). */
export function hashOpaqueToken(token: string): string {
  return sha256Hex(token);
}
