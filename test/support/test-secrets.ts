import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { ServiceSecrets, SigningKey } from '../../src/secrets/service-secrets';

/** A fresh RSA-2048 signing key; generated in memory, never written anywhere. */
export function newSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

let shared: SigningKey | undefined;

/** Secrets for a test app: one signing key per test process (generating RSA keys is slow). */
export function testSecrets(overrides: Partial<ServiceSecrets> = {}): ServiceSecrets {
  shared ??= newSigningKey();
  return { redisUrl: process.env.REDIS_URL, signingKeys: { current: shared }, ...overrides };
}
