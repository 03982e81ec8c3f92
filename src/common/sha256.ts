import { createHash } from 'node:crypto';

/**
 * Hex SHA-256 of a text (UTF-8). For what needs a fixed-length, deterministic digest: secrets of 256
 * random bits looked up by their hash (refresh tokens, API keys, client secrets), request
 * fingerprints, counter keys that must not hold the text itself. Never for passwords: those get
 * argon2id (src/users/password-hasher.ts).
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
