import { generateKeyPairSync } from 'node:crypto';
import { loadConfig } from '../../src/config/app-config';
import { loadSecrets, SecretsError, secretsProviderFor } from '../../src/secrets/load-secrets';
import { SecretsRefresher } from '../../src/secrets/secrets-refresher';
import { ServiceSecrets } from '../../src/secrets/service-secrets';
import { FailureMode, FakeSecretsManager } from '../support/fake-secrets-manager';
import { pemBody, rsaPem } from '../support/secret-documents';
import { until } from '../support/until';
import { PRODUCTION_PUBLIC_URL } from '../support/forge-token';

const currentPem = rsaPem();
const previousPem = rsaPem();
const goodSecret = {
  // secretlint-disable-next-line -- fake credentials: the values the tests below must never find in any output
  databaseUrl: 'postgres://orders:pg-secret-password@db.internal:5432/orders',
  redisUrl: 'rediss://:redis-secret-password@cache.internal:6379',
  // secretlint-disable-next-line -- fake credentials, as above
  smtpUrl: 'smtps://mailer:smtp-secret-password@smtp.internal:465',
  jwtPrivateKey: currentPem,
  jwtKeyId: 'kid-current',
  addedLater: 'ignored',
};
const previousSecret = { ...goodSecret, jwtPrivateKey: previousPem, jwtKeyId: 'kid-previous' };
/** Strings that must never appear in an error message or in anything printed. */
const secretValues = [
  goodSecret.databaseUrl,
  goodSecret.redisUrl,
  goodSecret.smtpUrl,
  'pg-secret-password',
  'redis-secret-password',
  'smtp-secret-password',
  pemBody(currentPem),
  pemBody(previousPem),
];

const productionEnv = (extra: Record<string, string> = {}) => ({
  NODE_ENV: 'production',
  PUBLIC_URL: PRODUCTION_PUBLIC_URL,
  SECRETS_PROVIDER: 'aws',
  AWS_SECRET_ID: 'orders/test',
  ...extra,
});
const loadInProduction = (extra?: Record<string, string>) => {
  const env = productionEnv(extra);
  return loadSecrets(loadConfig(env), env);
};

interface Outcome {
  secrets?: ServiceSecrets;
  error?: unknown;
  printed: string;
  elapsedMs: number;
}

/** Runs a load while recording everything written to the console, stdout and stderr. */
async function observe(load: () => Promise<ServiceSecrets>): Promise<Outcome> {
  const printed: string[] = [];
  const record = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  const spies = [
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) => jest.spyOn(console, method).mockImplementation(record)),
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (record(chunk), true)),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (record(chunk), true)),
  ];
  const started = performance.now();
  try {
    return { secrets: await load(), printed: printed.join('\n'), elapsedMs: performance.now() - started };
  } catch (error) {
    return { error, printed: printed.join('\n'), elapsedMs: performance.now() - started };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}

function expectCleanFailure(outcome: Outcome, messagePart: string | RegExp, alsoSecret: string[] = []): SecretsError {
  expect(outcome.error).toBeInstanceOf(SecretsError);
  const error = outcome.error as SecretsError;
  expect(error.message).toMatch(messagePart);
  expect(error.cause).toBeUndefined();
  for (const value of [...secretValues, ...alsoSecret]) {
    expect(error.message).not.toContain(value);
    expect(outcome.printed).not.toContain(value);
  }
  return error;
}

describe('secrets from AWS Secrets Manager (real SDK against a local endpoint)', () => {
  let fake: FakeSecretsManager;
  let restoreEnv: () => void;

  beforeAll(async () => {
    fake = await FakeSecretsManager.start('orders/test');
    // The provider uses the SDK's normal chain: the variables a deployment would set.
    restoreEnv = fake.useInThisProcess();
  });

  afterAll(async () => {
    restoreEnv();
    await fake.close();
  });

  beforeEach(() => {
    fake.failWith(undefined);
    fake.setSecret('AWSCURRENT', JSON.stringify(goodSecret));
    fake.setSecret('AWSPREVIOUS', undefined);
  });

  describe('boot in production mode', () => {
    it('loads the URLs and the current key; no AWSPREVIOUS version means no previous key', async () => {
      const outcome = await observe(() => loadInProduction());
      expect(outcome.error).toBeUndefined();
      const secrets = outcome.secrets!;
      expect(secrets.databaseUrl).toBe(goodSecret.databaseUrl);
      expect(secrets.redisUrl).toBe(goodSecret.redisUrl);
      expect(secrets.smtpUrl).toBe(goodSecret.smtpUrl);
      expect(secrets.signingKeys.current.kid).toBe('kid-current');
      expect(secrets.signingKeys.previous).toBeUndefined();
      expect(
        fake.requests
          .slice(-2)
          .map((request) => request.VersionStage)
          .sort(),
      ).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);
      expect(fake.requests.at(-1)?.SecretId).toBe('orders/test');
      expect(outcome.printed).toBe('');
    });

    it('loads the AWSPREVIOUS key beside the current one, each with its own kid', async () => {
      fake.setSecret('AWSPREVIOUS', JSON.stringify(previousSecret));
      const { current, previous } = (await loadInProduction()).signingKeys;
      expect(current.kid).toBe('kid-current');
      expect(previous?.kid).toBe('kid-previous');
      expect(current.publicKey.equals(previous!.publicKey)).toBe(false);
    });

    it('publishes the key once when AWSPREVIOUS holds the same key (another field was updated)', async () => {
      fake.setSecret('AWSPREVIOUS', JSON.stringify({ ...goodSecret, databaseUrl: 'postgres://old-host/orders' }));
      expect((await loadInProduction()).signingKeys.previous).toBeUndefined();
    });

    it('refuses an AWSPREVIOUS version reusing the current kid for a different key', async () => {
      fake.setSecret('AWSPREVIOUS', JSON.stringify({ ...previousSecret, jwtKeyId: 'kid-current' }));
      expectCleanFailure(await observe(() => loadInProduction()), 'AWS secret "orders/test" (AWSPREVIOUS): secret field "jwtKeyId"');
    });

    it('also works outside production', async () => {
      const env = { NODE_ENV: 'development', SECRETS_PROVIDER: 'aws', AWS_SECRET_ID: 'orders/test' };
      expect((await loadSecrets(loadConfig(env), env)).signingKeys.current.kid).toBe('kid-current');
    });

    it.each(['smtp://smtp.internal:587', 'smtps://mailer:smtp-secret-password@smtp.internal:465'])('accepts SMTP URL %s', async (smtpUrl) => {
      fake.setSecret('AWSCURRENT', JSON.stringify({ ...goodSecret, smtpUrl }));
      expect((await loadInProduction()).smtpUrl).toBe(smtpUrl);
    });

    it('outside production, loads a secret without smtpUrl (mails then stay in the development mailbox)', async () => {
      const { smtpUrl: _smtp, ...withoutSmtpUrl } = goodSecret;
      fake.setSecret('AWSCURRENT', JSON.stringify(withoutSmtpUrl));
      const env = { NODE_ENV: 'development', SECRETS_PROVIDER: 'aws', AWS_SECRET_ID: 'orders/test' };
      expect((await loadSecrets(loadConfig(env), env)).smtpUrl).toBeUndefined();
    });

    it('in production, refuses a secret without smtpUrl: the service mails its users', async () => {
      const { smtpUrl: _smtp, ...withoutSmtpUrl } = goodSecret;
      fake.setSecret('AWSCURRENT', JSON.stringify(withoutSmtpUrl));
      expectCleanFailure(await observe(() => loadInProduction()), 'the AWS secret needs field "smtpUrl" in production: the service mails its users');
    });
  });

  describe('a missing or malformed field stops the boot, naming the field and printing no value', () => {
    const { databaseUrl: _db, ...withoutDatabaseUrl } = goodSecret;
    const { redisUrl: _redis, ...withoutRedisUrl } = goodSecret;
    const { jwtPrivateKey: _key, ...withoutPrivateKey } = goodSecret;
    const { jwtKeyId: _kid, ...withoutKeyId } = goodSecret;
    const ecPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const weakPem = rsaPem(1024);

    it.each([
      ['databaseUrl missing', JSON.stringify(withoutDatabaseUrl), 'secret field "databaseUrl" is missing'],
      ['databaseUrl not postgres', JSON.stringify({ ...goodSecret, databaseUrl: 'mysql://db.internal/orders' }), 'secret field "databaseUrl" must be'],
      ['redisUrl missing', JSON.stringify(withoutRedisUrl), 'secret field "redisUrl" is missing'],
      ['redisUrl not redis', JSON.stringify({ ...goodSecret, redisUrl: 'pg-secret-password' }), 'secret field "redisUrl" must be'],
      [
        'smtpUrl not SMTP',
        JSON.stringify({ ...goodSecret, smtpUrl: 'https://mailer:smtp-secret-password@smtp.internal' }),
        'secret field "smtpUrl" must be a smtp:// or smtps:// URL',
      ],
      ['smtpUrl not a URL', JSON.stringify({ ...goodSecret, smtpUrl: 'smtp-secret-password' }), 'secret field "smtpUrl" must be a smtp:// or smtps:// URL'],
      ['smtpUrl null', JSON.stringify({ ...goodSecret, smtpUrl: null }), 'secret field "smtpUrl" is missing'],
      ['jwtPrivateKey missing', JSON.stringify(withoutPrivateKey), 'secret field "jwtPrivateKey" is missing'],
      [
        'jwtPrivateKey garbage',
        JSON.stringify({ ...goodSecret, jwtPrivateKey: 'pg-secret-password' }),
        'secret field "jwtPrivateKey" must be a PKCS#8 PEM private key',
      ],
      ['jwtPrivateKey an EC key', JSON.stringify({ ...goodSecret, jwtPrivateKey: ecPem }), 'secret field "jwtPrivateKey" must be an RSA key'],
      ['jwtPrivateKey RSA 1024', JSON.stringify({ ...goodSecret, jwtPrivateKey: weakPem }), 'secret field "jwtPrivateKey" must be an RSA key of at least 2048'],
      ['jwtKeyId missing', JSON.stringify(withoutKeyId), 'secret field "jwtKeyId" is missing'],
      ['jwtKeyId malformed', JSON.stringify({ ...goodSecret, jwtKeyId: 'kid with spaces' }), 'secret field "jwtKeyId" must be'],
      ['SecretString not JSON', `databaseUrl=${goodSecret.databaseUrl}`, 'secret is not valid JSON'],
    ])('%s', async (_, secretString, message) => {
      fake.setSecret('AWSCURRENT', secretString);
      const outcome = await observe(() => loadInProduction());
      expectCleanFailure(outcome, `AWS secret "orders/test" (AWSCURRENT): ${message}`, [pemBody(ecPem), pemBody(weakPem)]);
    });

    it('checks the AWSPREVIOUS key too, naming that stage', async () => {
      fake.setSecret('AWSPREVIOUS', JSON.stringify({ ...previousSecret, jwtPrivateKey: ecPem }));
      expectCleanFailure(await observe(() => loadInProduction()), 'AWS secret "orders/test" (AWSPREVIOUS): secret field "jwtPrivateKey" must be an RSA key');
    });
  });

  describe('Secrets Manager failures stop the boot cleanly and within seconds', () => {
    it.each<[FailureMode, RegExp]>([
      ['ResourceNotFoundException', /"orders\/test".*not found \(ResourceNotFoundException\)/],
      ['AccessDeniedException', /"orders\/test".*access denied \(AccessDeniedException\)/],
      ['ThrottlingException', /"orders\/test".*throttled \(ThrottlingException\)/],
      ['hang', /"orders\/test".*did not answer in time \(timeout\)/],
    ])('%s', async (mode, message) => {
      fake.failWith(mode);
      const outcome = await observe(() => loadInProduction());
      expectCleanFailure(outcome, message);
      expect(outcome.elapsedMs).toBeLessThan(10_000);
      expect(outcome.printed).toBe('');
    });

    it('an unreachable endpoint', async () => {
      const closed = await FakeSecretsManager.start();
      const endpoint = closed.endpoint;
      await closed.close();
      process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = endpoint;
      try {
        const outcome = await observe(() => loadInProduction());
        expectCleanFailure(outcome, /"orders\/test".*unreachable \(ECONNREFUSED\)/);
        expect(outcome.elapsedMs).toBeLessThan(10_000);
      } finally {
        process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = fake.endpoint;
      }
    });
  });

  describe('a missing region or credentials stops the boot with a message saying so', () => {
    const withEnv = async (changes: Record<string, string | undefined>, run: () => Promise<void>) => {
      const before = { ...process.env };
      // fake.clientEnv already shuts out shared config files and instance metadata: nothing else supplies them.
      for (const [name, value] of Object.entries(changes)) if (value === undefined) delete process.env[name];
      try {
        await run();
      } finally {
        process.env = before;
      }
    };

    it('no region', () =>
      withEnv({ AWS_REGION: undefined }, async () => {
        expectCleanFailure(await observe(() => loadInProduction()), '"orders/test" (AWSCURRENT): no AWS region configured (set AWS_REGION)');
      }));

    it('no credentials', () =>
      withEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }, async () => {
        const outcome = await observe(() => loadInProduction());
        expectCleanFailure(outcome, /"orders\/test" \(AWSCURRENT\): no AWS credentials found .*\(CredentialsProviderError\)/);
        expect(outcome.elapsedMs).toBeLessThan(10_000);
      }));
  });

  describe('configuration refused before any secret is read', () => {
    it('SECRETS_PROVIDER=aws needs AWS_SECRET_ID', async () => {
      const env = { SECRETS_PROVIDER: 'aws' };
      await expect(loadSecrets(loadConfig(env), env)).rejects.toThrow(new SecretsError('AWS_SECRET_ID is required when SECRETS_PROVIDER=aws'));
    });

    it.each(['https://mailer:smtp-secret-password@smtp.internal', 'smtp-secret-password', 'smtp:/smtp.internal'])(
      'outside production, refuses SMTP_URL %s in the environment: smtp:// or smtps:// only',
      (smtpUrl) => {
        const env = { NODE_ENV: 'development', SMTP_URL: smtpUrl };
        let refusal: unknown;
        try {
          secretsProviderFor(loadConfig(env), env);
        } catch (error) {
          refusal = error;
        }
        expectCleanFailure({ error: refusal, printed: '', elapsedMs: 0 }, 'SMTP_URL must be an smtp:// or smtps:// URL');
      },
    );

    it('outside production, takes an smtp:// or smtps:// SMTP_URL from the environment', () => {
      for (const smtpUrl of ['smtp://127.0.0.1:2525', 'smtps://mailer:smtp-secret-password@smtp.internal:465']) {
        const env = { NODE_ENV: 'development', SMTP_URL: smtpUrl };
        expect(() => secretsProviderFor(loadConfig(env), env)).not.toThrow();
      }
    });

    it('production refuses SECRETS_PROVIDER=local', async () => {
      const env = { NODE_ENV: 'production', PUBLIC_URL: PRODUCTION_PUBLIC_URL, SECRETS_PROVIDER: 'local' };
      await expect(loadSecrets(loadConfig(env), env)).rejects.toThrow(/SECRETS_PROVIDER=local is refused in production/);
    });

    it.each([
      ['DATABASE_URL', goodSecret.databaseUrl, 'databaseUrl'],
      ['REDIS_URL', goodSecret.redisUrl, 'redisUrl'],
      ['SMTP_URL', goodSecret.smtpUrl, 'smtpUrl'],
      ['JWT_PRIVATE_KEY', currentPem, 'jwtPrivateKey'],
    ])('production refuses %s in the environment, saying where it belongs', async (variable, value, field) => {
      const requestsBefore = fake.requests.length;
      const outcome = await observe(() => loadInProduction({ [variable]: value }));
      const error = expectCleanFailure(outcome, `${variable} is refused in production`);
      expect(error.message).toContain(`belongs in the AWS secret (AWS_SECRET_ID), field "${field}"`);
      expect(fake.requests.length).toBe(requestsBefore);
    });
  });

  describe('SecretsRefresher', () => {
    let refresher: SecretsRefresher | undefined;
    afterEach(() => refresher?.stop());

    function startRefresher() {
      const updates: ServiceSecrets[] = [];
      const warnings: string[] = [];
      const env = productionEnv();
      refresher = new SecretsRefresher(
        secretsProviderFor(loadConfig(env), env),
        (secrets) => updates.push(secrets),
        { warn: (message) => warnings.push(message) },
        50,
      );
      refresher.start();
      return { updates, warnings };
    }

    it('picks up a rotated secret: the new key becomes current, the old one previous', async () => {
      const { updates } = startRefresher();
      await until(() => updates.length > 0);
      expect(updates.at(-1)!.signingKeys.current.kid).toBe('kid-current');

      fake.rotate(JSON.stringify({ ...goodSecret, jwtPrivateKey: rsaPem(), jwtKeyId: 'kid-next' }));
      await until(() => updates.at(-1)!.signingKeys.current.kid === 'kid-next');
      const { current, previous } = updates.at(-1)!.signingKeys;
      expect(previous?.kid).toBe('kid-current');
      expect(previous!.publicKey.equals(updates[0].signingKeys.current.publicKey)).toBe(true);
      expect(current.publicKey.equals(previous!.publicKey)).toBe(false);
    });

    it('keeps the last good values and warns when a refresh fails, then recovers', async () => {
      const { updates, warnings } = startRefresher();
      await until(() => updates.length > 0);

      fake.failWith('AccessDeniedException');
      await until(() => warnings.length >= 2);
      const updatesWhileFailing = updates.length;
      await until(() => warnings.length >= 4);
      expect(updates.length).toBe(updatesWhileFailing);
      expect(updates.at(-1)!.signingKeys.current.kid).toBe('kid-current');
      expect(warnings[0]).toMatch(/^Secrets refresh failed, keeping the last good values: .*AccessDeniedException/);

      fake.setSecret('AWSCURRENT', JSON.stringify({ ...goodSecret, jwtKeyId: 'broken kid' }));
      fake.failWith(undefined);
      await until(() => warnings.some((warning) => warning.includes('secret field "jwtKeyId"')));
      expect(updates.length).toBe(updatesWhileFailing);

      fake.setSecret('AWSCURRENT', JSON.stringify(goodSecret));
      await until(() => updates.length > updatesWhileFailing);
      for (const value of secretValues) expect(warnings.join('\n')).not.toContain(value);
    });

    it('stops calling back after stop()', async () => {
      const { updates } = startRefresher();
      await until(() => updates.length > 0);
      refresher!.stop();
      const count = updates.length;
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(updates.length).toBe(count);
    });
  });
});
