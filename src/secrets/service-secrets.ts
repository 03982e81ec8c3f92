import { KeyObject } from 'node:crypto';

/** One RSA signing key with the `kid` that names it in token headers and the JWKS. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * Everything secret the service needs, loaded once before the Nest app is created.
 * `current` signs new tokens; `previous` (during a key rotation) still verifies.
 */
export interface ServiceSecrets {
  databaseUrl?: string;
  redisUrl?: string;
  /** Where mail goes; unset outside production means the development mailbox (src/mail). May hold a password. */
  smtpUrl?: string;
  signingKeys: { current: SigningKey; previous?: SigningKey };
}

/** Where secrets come from: a local file (embedded default) or AWS Secrets Manager (production). */
export interface SecretsProvider {
  load(): Promise<ServiceSecrets>;
}

/** Injection token for the loaded ServiceSecrets inside the Nest container. */
export const SERVICE_SECRETS = Symbol('SERVICE_SECRETS');
