import { generateKeyPairSync } from 'node:crypto';
import { FailureMode, FakeSecretsManager } from '../support/fake-secrets-manager';
import { pemBody, rsaPem, secretJson, secretValuesOf } from '../support/secret-documents';
import { EndedProcess, runServerProcessToExit } from '../support/server-process';
import { PRODUCTION_PUBLIC_URL } from '../support/forge-token';

/** A refused boot must end in seconds; the slowest case (a silent endpoint) takes two 3-second SDK attempts. */
const BOOT_FAILURE_BOUND_MS = 15_000;

/**
 * The production boot path of the built service (`dist/main.js`, a real process): configuration,
 * then secrets from Secrets Manager, then the app. Every refused boot exits non-zero with one line
 * naming what is wrong and nothing of any secret. A boot that succeeds needs the secret's Postgres:
 * that case is in the service suite (test/services/secrets-production-boot.e2e-spec.ts).
 */
describe('Production boot refusals (dist/main.js)', () => {
  const secret = secretJson('kid-production');
  let fake: FakeSecretsManager;

  beforeAll(async () => {
    fake = await FakeSecretsManager.start('orders-api/production');
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.failWith(undefined);
    fake.setSecret('AWSCURRENT', JSON.stringify(secret));
  });

  const bootInProduction = (extra: Record<string, string> = {}): Promise<EndedProcess> =>
    runServerProcessToExit(
      { NODE_ENV: 'production', PUBLIC_URL: PRODUCTION_PUBLIC_URL, SECRETS_PROVIDER: 'aws', AWS_SECRET_ID: fake.secretName, ...fake.clientEnv, ...extra },
      BOOT_FAILURE_BOUND_MS,
    );

  /** Exit 1 with exactly one line, the boot failure, free of every secret value. */
  function expectRefusedBoot(ended: EndedProcess, message: string, moreSecrets: string[] = []): void {
    expect(ended.code).toBe(1);
    expect(ended.output).toBe(`Boot failed: ${message}\n`);
    for (const value of [...secretValuesOf(secret), ...moreSecrets]) expect(ended.output).not.toContain(value);
  }

  describe('a missing or malformed field of the secret', () => {
    const without = (field: keyof typeof secret) => JSON.stringify({ ...secret, [field]: undefined });
    const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const weakPem = rsaPem(1024);

    it.each([
      ['databaseUrl missing', without('databaseUrl'), 'secret field "databaseUrl" is missing'],
      ['redisUrl missing', without('redisUrl'), 'secret field "redisUrl" is missing'],
      ['jwtPrivateKey missing', without('jwtPrivateKey'), 'secret field "jwtPrivateKey" is missing'],
      ['jwtKeyId missing', without('jwtKeyId'), 'secret field "jwtKeyId" is missing'],
      [
        'databaseUrl not Postgres',
        JSON.stringify({ ...secret, databaseUrl: 'mysql://db.internal/orders' }),
        'secret field "databaseUrl" must be a postgres:// or postgresql:// URL',
      ],
      [
        'redisUrl not Redis',
        JSON.stringify({ ...secret, redisUrl: 'https://:redis-secret-password@cache.internal' }),
        'secret field "redisUrl" must be a redis:// or rediss:// URL',
      ],
      [
        'smtpUrl not SMTP',
        JSON.stringify({ ...secret, smtpUrl: 'https://mailer:smtp-secret-password@smtp.internal' }),
        'secret field "smtpUrl" must be a smtp:// or smtps:// URL',
      ],
      ['smtpUrl not a URL', JSON.stringify({ ...secret, smtpUrl: 'smtp-secret-password' }), 'secret field "smtpUrl" must be a smtp:// or smtps:// URL'],
      ['smtpUrl not a string', JSON.stringify({ ...secret, smtpUrl: 2525 }), 'secret field "smtpUrl" must be a string'],
      ['jwtPrivateKey an EC key', JSON.stringify({ ...secret, jwtPrivateKey: ecPem }), 'secret field "jwtPrivateKey" must be an RSA key'],
      [
        'jwtPrivateKey RSA 1024',
        JSON.stringify({ ...secret, jwtPrivateKey: weakPem }),
        'secret field "jwtPrivateKey" must be an RSA key of at least 2048 bits',
      ],
      [
        'jwtKeyId malformed',
        JSON.stringify({ ...secret, jwtKeyId: 'kid with spaces' }),
        'secret field "jwtKeyId" must be 1 to 128 characters of A-Z a-z 0-9 . _ -',
      ],
      ['not JSON', `databaseUrl=${secret.databaseUrl}`, 'secret is not valid JSON'],
    ])('%s: exit 1, one line naming the problem, no value printed', async (_, secretString, message) => {
      fake.setSecret('AWSCURRENT', secretString);
      expectRefusedBoot(await bootInProduction(), `AWS secret "orders-api/production" (AWSCURRENT): ${message}`, [
        pemBody(ecPem),
        pemBody(weakPem),
        'smtp-secret-password',
      ]);
    });

    it('smtpUrl missing (optional in the document, required in production): exit 1, one line saying so', async () => {
      fake.setSecret('AWSCURRENT', without('smtpUrl'));
      expectRefusedBoot(await bootInProduction(), 'the AWS secret needs field "smtpUrl" in production: the service mails its users');
    });
  });

  describe('a Secrets Manager failure ends the boot cleanly, within the bound', () => {
    it.each<[FailureMode, string]>([
      ['ResourceNotFoundException', ' was not found (ResourceNotFoundException)'],
      ['AccessDeniedException', ': access denied (AccessDeniedException); the service needs secretsmanager:GetSecretValue on it'],
      ['ThrottlingException', ': request throttled (ThrottlingException)'],
      ['hang', ': Secrets Manager did not answer in time (timeout)'],
    ])('%s', async (mode, problem) => {
      fake.failWith(mode);
      const ended = await bootInProduction();
      expect(ended.code).toBe(1);
      // Both version stages are read at once; whichever fails first is reported.
      const refusal = (stage: string) => `Boot failed: AWS secret "orders-api/production" (${stage})${problem}\n`;
      expect([refusal('AWSCURRENT'), refusal('AWSPREVIOUS')]).toContain(ended.output);
      expect(ended.elapsedMs).toBeLessThan(BOOT_FAILURE_BOUND_MS);
    });
  });

  describe('production takes secrets from AWS Secrets Manager only', () => {
    it('refuses SECRETS_PROVIDER=local', async () => {
      expectRefusedBoot(await bootInProduction({ SECRETS_PROVIDER: 'local' }), 'SECRETS_PROVIDER=local is refused in production: use SECRETS_PROVIDER=aws');
    });

    it.each([
      ['DATABASE_URL', secret.databaseUrl, 'databaseUrl'],
      ['REDIS_URL', secret.redisUrl, 'redisUrl'],
      ['SMTP_URL', secret.smtpUrl!, 'smtpUrl'],
    ])('refuses %s in the environment, saying where it belongs, before reading the secret', async (variable, value, field) => {
      const requestsBefore = fake.requests.length;
      const ended = await bootInProduction({ [variable]: value });
      expectRefusedBoot(ended, `${variable} is refused in production: it belongs in the AWS secret (AWS_SECRET_ID), field "${field}"`);
      expect(fake.requests.length).toBe(requestsBefore);
    });
  });
});
