import { generateKeyPairSync } from 'node:crypto';

/** The fields docs/http-contract.md fixes for the service's one JSON secret (Operations). */
export interface SecretJson {
  databaseUrl: string;
  redisUrl: string;
  /** Optional in the document; production refuses to boot without it (the service mails its users). */
  smtpUrl?: string;
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

/**
 * A valid production secret with its own new signing key and fake credentials in its URLs. Its SMTP server is on
 * loopback, where nothing listens: a boot never connects to it, and a mail the service tries to send fails and
 * waits for its retry (`smtpUrl: undefined` leaves the field out).
 */
export function secretJson(jwtKeyId: string, fields: Partial<SecretJson> = {}): SecretJson {
  return {
    // secretlint-disable-next-line -- fake credentials: the values tests search every output for
    databaseUrl: 'postgres://orders:pg-secret-password@db.internal:5432/orders',
    redisUrl: 'rediss://:redis-secret-password@cache.internal:6379',
    // secretlint-disable-next-line -- fake credentials, as above
    smtpUrl: 'smtp://mailer:smtp-secret-password@127.0.0.1:2525',
    jwtKeyId,
    ...fields,
    jwtPrivateKey: fields.jwtPrivateKey ?? rsaPem(),
  };
}

/** The strings of a secret that no message, log line or output may contain. */
export function secretValuesOf(secret: SecretJson): string[] {
  const urls = [secret.databaseUrl, secret.redisUrl, ...(secret.smtpUrl ? [secret.smtpUrl] : [])];
  const passwords = urls.map((url) => decodeURIComponent(new URL(url).password)).filter(Boolean);
  return [...urls, ...passwords, pemBody(secret.jwtPrivateKey)];
}
