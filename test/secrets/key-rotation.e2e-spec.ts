import { createPublicKey } from 'node:crypto';
import { AwsSecretsProvider } from '../../src/secrets/aws-secrets.provider';
import { Account, expectInvalidCredentials, login, manyLoginsEnv, me, register } from '../support/auth';
import { FakeSecretsManager } from '../support/fake-secrets-manager';
import { decodeSegment } from '../support/forge-token';
import { SecretJson, secretJson, secretValuesOf } from '../support/secret-documents';
import { startTestApp, TestApp } from '../support/test-app';
import { until } from '../support/until';

interface Jwks {
  keys: Array<Record<string, string>>;
}

/**
 * Signing-key rotation through Secrets Manager version stages, in a running app (docs/http-contract.md, Keys and
 * Operations). The app re-reads a local Secrets Manager endpoint with the real SDK every 100 ms, as
 * main.ts has it re-read AWS every SECRETS_REFRESH_SECONDS; each rotation is awaited by polling the JWKS.
 */
describe('Signing-key rotation without a restart', () => {
  const [secretA, secretB, secretC] = ['kid-a', 'kid-b', 'kid-c'].map((kid) => secretJson(kid));
  const logLines: string[] = [];
  let fake: FakeSecretsManager;
  let restoreEnv: () => void;
  let testApp: TestApp;
  let account: Account;
  let tokenA: string;
  let tokenB: string;

  beforeAll(async () => {
    fake = await FakeSecretsManager.start();
    restoreEnv = fake.useInThisProcess();
    fake.setSecret('AWSCURRENT', JSON.stringify(secretA));
    const provider = new AwsSecretsProvider(fake.secretName);
    testApp = await startTestApp({
      env: { ...manyLoginsEnv(), LOG_LEVEL: 'info' },
      // Booted with the secret's keys; the database and Redis stay the test's own (see the last tests).
      secrets: { signingKeys: (await provider.load()).signingKeys },
      secretsRefresh: { provider, intervalMs: 100 },
      logStream: { write: (line: string) => void logLines.push(line) },
    });
    account = await register(testApp.app);
  });

  afterAll(async () => {
    await testApp.close();
    await fake.close();
    restoreEnv();
  });

  const jwks = async (): Promise<Jwks> => (await testApp.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json<Jwks>();
  const publishedKids = async () => (await jwks()).keys.map((key) => key.kid);
  const newToken = async () => (await login(testApp.app, account)).accessToken;
  const kidOf = (token: string) => decodeSegment(token, 0).kid;
  /** The log entries whose message contains `text` (pino levels: 30 info, 40 warn). */
  const logged = (text: string) => logLines.map((line) => JSON.parse(line) as { level: number; msg?: string }).filter((entry) => entry.msg?.includes(text));
  const once = (level: number) => [expect.objectContaining({ level })];

  /** Puts a new version of the secret, as PutSecretValue does, and waits until the app serves its keys. */
  async function rotateTo(secret: SecretJson, expectedKids: string[]): Promise<void> {
    fake.rotate(JSON.stringify(secret));
    await until(async () => JSON.stringify(await publishedKids()) === JSON.stringify(expectedKids));
  }

  it('before any rotation: tokens carry kid-a and the JWKS lists that key only', async () => {
    tokenA = await newToken();
    expect(kidOf(tokenA)).toBe('kid-a');
    expect((await me(testApp.app, tokenA)).statusCode).toBe(200);
    expect(await publishedKids()).toEqual(['kid-a']);
  });

  it('AWSCURRENT = B, AWSPREVIOUS = A: new tokens carry kid-b, the kid-a token still works, the JWKS lists both', async () => {
    await rotateTo(secretB, ['kid-b', 'kid-a']);

    tokenB = await newToken();
    expect(kidOf(tokenB)).toBe('kid-b');
    expect((await me(testApp.app, tokenB)).statusCode).toBe(200);
    expect((await me(testApp.app, tokenA)).statusCode).toBe(200);
    expect(logged('Signing key rotated: new tokens carry kid "kid-b"')).toEqual(once(30));
  });

  it('the JWKS publishes exactly the public members of each key, never a private one', async () => {
    const { keys } = await jwks();
    for (const [jwk, secret] of [
      [keys[0], secretB],
      [keys[1], secretA],
    ] as const) {
      const { n, e } = createPublicKey(secret.jwtPrivateKey).export({ format: 'jwk' });
      expect(jwk).toEqual({ kty: 'RSA', kid: secret.jwtKeyId, use: 'sig', alg: 'RS256', n, e });
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(jwk).not.toHaveProperty(member);
    }
  });

  it('AWSCURRENT = C, AWSPREVIOUS = B: the kid-a token is refused, the kid-b token still works', async () => {
    await rotateTo(secretC, ['kid-c', 'kid-b']);

    expect(kidOf(await newToken())).toBe('kid-c');
    expect((await me(testApp.app, tokenB)).statusCode).toBe(200);
    expectInvalidCredentials(await me(testApp.app, tokenA));
  });

  it('never swaps the database, Redis or SMTP: a URL other than the one in use is logged once as needing a restart', async () => {
    // The app runs on its own test database, so to it the secret's URLs are changed ones. After three
    // more refreshes (each reads AWSCURRENT and AWSPREVIOUS), each field is still reported once, by name.
    const reads = fake.requests.length;
    await until(() => fake.requests.length >= reads + 6);
    expect(logged('Secret field "databaseUrl" changed: restart the service to use it')).toEqual(once(40));
    expect(logged('Secret field "redisUrl" changed: restart the service to use it')).toEqual(once(40));
    expect(logged('Secret field "smtpUrl" changed: restart the service to use it')).toEqual(once(40));
  });

  it('when Secrets Manager fails, the service keeps running on the last good keys and warns', async () => {
    fake.failWith('AccessDeniedException');
    const failedReads = fake.requests.length;
    const failures = () => logged('Secrets refresh failed, keeping the last good values: AWS secret "orders/test"');
    await until(() => failures().length >= 3);
    expect(fake.requests.length).toBeGreaterThan(failedReads);
    expect(failures().every((entry) => entry.level === 40 && entry.msg!.includes('access denied (AccessDeniedException)'))).toBe(true);

    expect((await testApp.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    expect(await publishedKids()).toEqual(['kid-c', 'kid-b']);
    expect(kidOf(await newToken())).toBe('kid-c');
    expect((await me(testApp.app, tokenB)).statusCode).toBe(200);
  });

  it('logs no secret value, whatever happened above', () => {
    const secretValues = [secretA, secretB, secretC].flatMap(secretValuesOf);
    for (const line of logLines) {
      for (const value of secretValues) expect(line).not.toContain(value);
    }
  });
});
