import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../common/sha256';

/** An opaque refresh token: 256 random bits, base64url. Not a JWT, so it can never pass for an access token. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database stores instead of the token (hex SHA-256). */
export function hashRefreshToken(token: string): string {
  return sha256Hex(token);
}
