import { randomBytes, timingSafeEqual } from 'node:crypto';
import { APP_CLIENT_ID_PREFIX } from '../auth/token.constants';
import { sha256Hex } from '../common/sha256';
import type { ServiceClient } from './service-client.entity';

/**
 * A client's `client_id` (public: 128 random bits) and `client_secret` (256 random bits), both
 * base64url: characters that need no escaping in a form body or in HTTP Basic (RFC 6749 §2.3.1).
 */
export function newClientId(): string {
  return randomBytes(16).toString('base64url');
}

/** An app's `client_id`: a service client's, after a prefix no service client's id can hold (docs/decisions/0024). */
export function newAppClientId(): string {
  return `${APP_CLIENT_ID_PREFIX}${newClientId()}`;
}

export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * SHA-256, not argon2id, on purpose. argon2id is slow so that each guess at a secret people choose
 * (a password, a few dozen bits of entropy at best) costs an attacker dearly. This secret is 256
 * random bits: there is no list of likely guesses, and 2^256 tries are out of reach at any hash
 * speed, so a slow hash would add only CPU cost per token request (a lever for denial of service).
 * Hashed all the same: a copy of the database yields no usable secret.
 */
export function hashClientSecret(secret: string): string {
  return sha256Hex(secret);
}

/**
 * Whether `secret` is the client's current secret, or its previous one while that one's grace
 * period lasts (rotation without downtime). Digests are compared in constant time, so response
 * timing tells an attacker nothing about how close a guess came (CWE-208).
 */
export function acceptsSecret(
  client: Pick<ServiceClient, 'secretHash' | 'previousSecretHash' | 'previousSecretExpiresAt'>,
  secret: string,
  now: Date,
): boolean {
  const presented = Buffer.from(hashClientSecret(secret), 'hex');
  const matches = (storedHash: string | null) => storedHash !== null && timingSafeEqual(presented, Buffer.from(storedHash, 'hex'));
  const inGrace = client.previousSecretExpiresAt !== null && client.previousSecretExpiresAt > now;
  return matches(client.secretHash) || (inGrace && matches(client.previousSecretHash));
}
