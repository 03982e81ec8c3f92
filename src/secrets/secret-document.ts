import { SigningKey } from './service-secrets';
import { SecretsError } from './secrets-error';
import { signingKeyFromPem } from './signing-key';

/** The validated content of the service's one JSON secret (docs/http-contract.md, Operations). */
export interface SecretDocument {
  databaseUrl: string;
  redisUrl: string;
  /** Optional here; production refuses to boot without it (load-secrets.ts). */
  smtpUrl?: string;
  signingKey: SigningKey;
}

type RawDocument = Record<string, unknown>;

/** `smtp://` (STARTTLS when offered) or `smtps://` (TLS from the start), as nodemailer reads them. */
export const SMTP_PROTOCOLS = ['smtp:', 'smtps:'];

const KEY_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Validates a whole secret version; unknown fields are ignored so the secret can grow. */
export function parseSecretDocument(secretString: string): SecretDocument {
  const raw = parseJsonObject(secretString);
  return {
    databaseUrl: urlField(raw, 'databaseUrl', ['postgres:', 'postgresql:']),
    redisUrl: urlField(raw, 'redisUrl', ['redis:', 'rediss:']),
    ...(raw.smtpUrl !== undefined && { smtpUrl: urlField(raw, 'smtpUrl', SMTP_PROTOCOLS) }),
    signingKey: signingKeyOf(raw),
  };
}

/** Validates only the signing key of a secret version: all an AWSPREVIOUS version is used for. */
export function parseSigningKey(secretString: string): SigningKey {
  return signingKeyOf(parseJsonObject(secretString));
}

function parseJsonObject(secretString: string): RawDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // JSON.parse's own message quotes the input, which is the secret: never pass it on.
    throw new SecretsError('secret is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SecretsError('secret must be a JSON object');
  }
  return parsed as RawDocument;
}

function signingKeyOf(raw: RawDocument): SigningKey {
  const kid = stringField(raw, 'jwtKeyId');
  if (!KEY_ID.test(kid)) throw fieldError('jwtKeyId', 'must be 1 to 128 characters of A-Z a-z 0-9 . _ -');
  const pem = stringField(raw, 'jwtPrivateKey');
  try {
    return signingKeyFromPem(kid, pem);
  } catch (error) {
    // signingKeyFromPem's messages describe the key without quoting it.
    throw fieldError('jwtPrivateKey', (error as Error).message);
  }
}

function urlField(raw: RawDocument, name: string, protocols: string[]): string {
  const value = stringField(raw, name);
  const schemes = protocols.map((protocol) => `${protocol}//`).join(' or ');
  if (!URL.canParse(value) || !protocols.includes(new URL(value).protocol)) {
    throw fieldError(name, `must be a ${schemes} URL`);
  }
  return value;
}

function stringField(raw: RawDocument, name: string): string {
  const value = raw[name];
  if (value === undefined || value === null) throw fieldError(name, 'is missing');
  if (typeof value !== 'string') throw fieldError(name, 'must be a string');
  return value;
}

function fieldError(name: string, problem: string): SecretsError {
  return new SecretsError(`secret field "${name}" ${problem}`);
}
