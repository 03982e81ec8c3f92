import { generateKeyPairSync } from 'node:crypto';

/** The fields docs/http-contract.md fixes for the service's one JSON secret (Operations). */
export interface SecretJson {
  databaseUrl: string;
  redisUrl: string;
  jwtPrivateKey: string;
  jwtKeyId: string;
}

/** A fresh RSA private key as PKCS#8 PEM, the format the secret's jwtPrivateKey must have. */
export function rsaPem(modulusLength = 2048): string {
  return generateKeyPairSync('rsa', { modulusLength }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The first line of a PEM's base64 body: what a leaked key would show in any output. */
export function pemBody(pem: string): string {
  return pem.split('\n')[1];
}

/** A valid secret with its own new signing key and fake credentials in its URLs. */
export function secretJson(jwtKeyId: string, fields: Partial<SecretJson> = {}): SecretJson {
  return {
    // secretlint-disable-next-line -- fake credentials: the values tests search every output for
    databaseUrl: 'postgres://orders:pg-secret-password@db.internal:5432/orders',
    redisUrl: 'rediss://:redis-secret-password@cache.internal:6379',
    jwtKeyId,
    ...fields,
    jwtPrivateKey: fields.jwtPrivateKey ?? rsaPem(),
  };
}

/** The strings of a secret that no message, log line or output may contain. */
export function secretValuesOf(secret: SecretJson): string[] {
  const passwords = [secret.databaseUrl, secret.redisUrl].map((url) => decodeURIComponent(new URL(url).password)).filter(Boolean);
  return [secret.databaseUrl, secret.redisUrl, ...passwords, pemBody(secret.jwtPrivateKey)];
}
