import { generateKeyPairSync } from 'node:crypto';
import { parseSecretDocument, parseSigningKey } from './secret-document';
import { SecretsError } from './secrets-error';

const rsaPem = (modulusLength: number) => generateKeyPairSync('rsa', { modulusLength }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const valid = {
  // secretlint-disable-next-line -- fake credentials: the values the tests below must never find in a message
  databaseUrl: 'postgres://orders:db-password-1@db.internal:5432/orders',
  redisUrl: 'rediss://:redis-password-1@cache.internal:6379',
  jwtPrivateKey: rsaPem(2048),
  jwtKeyId: 'key-2026.01_a',
};
const secretValues = [valid.databaseUrl, valid.redisUrl, valid.jwtPrivateKey, 'db-password-1', 'redis-password-1'];

/** Parses a variant of the valid document and returns the SecretsError it throws. */
function failureFor(changes: Record<string, unknown>): SecretsError {
  const text = JSON.stringify({ ...valid, ...changes });
  try {
    parseSecretDocument(text);
  } catch (error) {
    expect(error).toBeInstanceOf(SecretsError);
    return error as SecretsError;
  }
  throw new Error('expected the document to be refused');
}

describe('parseSecretDocument', () => {
  it('returns the URLs and the parsed signing key, ignoring unknown fields', () => {
    const document = parseSecretDocument(JSON.stringify({ ...valid, apiKeyForLater: 'x' }));
    expect(document.databaseUrl).toBe(valid.databaseUrl);
    expect(document.redisUrl).toBe(valid.redisUrl);
    expect(document.signingKey.kid).toBe('key-2026.01_a');
    expect(document.signingKey.privateKey.asymmetricKeyType).toBe('rsa');
    expect(document.signingKey.publicKey.type).toBe('public');
  });

  it.each(['postgres://h/db', 'postgresql://db.internal:5432/orders'])('accepts database URL %s', (databaseUrl) => {
    expect(parseSecretDocument(JSON.stringify({ ...valid, databaseUrl })).databaseUrl).toBe(databaseUrl);
  });

  it.each(['redis://h:6379', 'rediss://h'])('accepts Redis URL %s', (redisUrl) => {
    expect(parseSecretDocument(JSON.stringify({ ...valid, redisUrl })).redisUrl).toBe(redisUrl);
  });

  it.each([
    ['databaseUrl', 'absent', undefined, 'secret field "databaseUrl" is missing'],
    ['databaseUrl', 'null', null, 'secret field "databaseUrl" is missing'],
    ['databaseUrl', 'a number', 5432, 'secret field "databaseUrl" must be a string'],
    ['databaseUrl', 'a MySQL URL', 'mysql://db.internal/orders', 'secret field "databaseUrl" must be a postgres:// or postgresql:// URL'],
    ['databaseUrl', 'not a URL', 'db-password-1', 'secret field "databaseUrl" must be a postgres:// or postgresql:// URL'],
    ['redisUrl', 'absent', undefined, 'secret field "redisUrl" is missing'],
    ['redisUrl', 'an HTTP URL', 'http://:redis-password-1@h', 'secret field "redisUrl" must be a redis:// or rediss:// URL'],
    ['jwtKeyId', 'absent', undefined, 'secret field "jwtKeyId" is missing'],
    ['jwtKeyId', 'empty', '', 'secret field "jwtKeyId" must be 1 to 128 characters of A-Z a-z 0-9 . _ -'],
    ['jwtKeyId', 'with a space', 'has space', 'secret field "jwtKeyId" must be 1 to 128 characters of A-Z a-z 0-9 . _ -'],
    ['jwtKeyId', '129 characters', 'k'.repeat(129), 'secret field "jwtKeyId" must be 1 to 128 characters of A-Z a-z 0-9 . _ -'],
    ['jwtPrivateKey', 'absent', undefined, 'secret field "jwtPrivateKey" is missing'],
    [
      'jwtPrivateKey',
      'garbage',
      '-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----',
      'secret field "jwtPrivateKey" is not a valid PEM private key',
    ],
    [
      'jwtPrivateKey',
      'PKCS#1',
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      'secret field "jwtPrivateKey" must be a PKCS#8 PEM private key',
    ],
    ['jwtPrivateKey', 'an EC key', ecPem, 'secret field "jwtPrivateKey" must be an RSA key'],
    ['jwtPrivateKey', 'RSA 1024', rsaPem(1024), 'secret field "jwtPrivateKey" must be an RSA key of at least 2048 bits'],
  ])('refuses %s (%s), naming the field and no value', (field, _, value, message) => {
    const error = failureFor({ [field]: value });
    expect(error.message).toBe(message);
    const sensitive = typeof value === 'string' && value !== '' ? [...secretValues, value] : secretValues;
    for (const secret of sensitive) expect(error.message).not.toContain(secret);
  });

  it('accepts a 128-character kid', () => {
    expect(parseSecretDocument(JSON.stringify({ ...valid, jwtKeyId: 'k'.repeat(128) })).signingKey.kid).toHaveLength(128);
  });

  it.each([
    ['not JSON, without quoting it', `databaseUrl=${valid.databaseUrl}`, 'secret is not valid JSON'],
    ['a JSON array', '["db-password-1"]', 'secret must be a JSON object'],
    ['JSON null', 'null', 'secret must be a JSON object'],
  ])('refuses a secret that is %s', (_, text, message) => {
    expect(() => parseSecretDocument(text)).toThrow(new SecretsError(message));
    expect(() => parseSecretDocument(text)).not.toThrow(/db-password-1/);
  });
});

describe('parseSigningKey', () => {
  it('needs only the key fields (an AWSPREVIOUS version is used for nothing else)', () => {
    const key = parseSigningKey(JSON.stringify({ jwtKeyId: 'old', jwtPrivateKey: valid.jwtPrivateKey }));
    expect(key.kid).toBe('old');
  });

  it('validates them like the current version', () => {
    expect(() => parseSigningKey(JSON.stringify({ jwtKeyId: 'old', jwtPrivateKey: ecPem }))).toThrow('secret field "jwtPrivateKey" must be an RSA key');
  });
});
