import { createPrivateKey } from 'node:crypto';
import { AwsSecretsProvider } from '../../src/secrets/aws-secrets.provider';
import { Account, expectInvalidCredentials, me, register } from '../support/auth';
import { FakeSecretsManager } from '../support/fake-secrets-manager';
import { forgeRs256, genuineClaims, genuineHeader } from '../support/forge-token';
import { rsaPem, SecretJson, secretJson } from '../support/secret-documents';
import { startTestApp, TestApp } from '../support/test-app';

const AN_HOUR_MS = 3_600_000;

/**
 * Several instances, one secret, a rotation between their refreshes: an instance that has not
 * re-read the secret yet meets a token another instance signed with the new key. It re-reads the
 * secret at once instead of refusing the token until its next scheduled refresh; a made-up kid
 * cannot make it re-read often. The other instance's token is made here with the new secret's key,
 * exactly as that instance would sign it.
 */
describe('a token signed with a key this instance has not loaded yet', () => {
  let fake: FakeSecretsManager;
  let restoreEnv: () => void;
  let provider: AwsSecretsProvider;
  let testApp: TestApp;
  let account: Account;
  const secretB: SecretJson = secretJson('kid-b');

  beforeAll(async () => {
    fake = await FakeSecretsManager.start();
    restoreEnv = fake.useInThisProcess();
    fake.setSecret('AWSCURRENT', JSON.stringify(secretJson('kid-a')));
    provider = new AwsSecretsProvider(fake.secretName);
    // Scheduled refreshes an hour apart: within this test, only a token can make the app re-read.
    testApp = await startTestApp({ secrets: { signingKeys: (await provider.load()).signingKeys }, secretsRefresh: { provider, intervalMs: AN_HOUR_MS } });
    account = await register(testApp.app);
    fake.rotate(JSON.stringify(secretB));
  });

  afterAll(async () => {
    await testApp?.close();
    await fake.close();
    restoreEnv();
  });

  /** Secrets Manager requests one read of the secret makes (AWSCURRENT, then AWSPREVIOUS). */
  async function requestsPerRead(): Promise<number> {
    const before = fake.requests.length;
    await provider.load();
    return fake.requests.length - before;
  }

  it('is accepted after one re-read of the secret, and a made-up kid right after causes none', async () => {
    const perRead = await requestsPerRead();
    const tokenB = forgeRs256(genuineHeader('kid-b'), genuineClaims(account.id), createPrivateKey(secretB.jwtPrivateKey));

    let before = fake.requests.length;
    expect((await me(testApp.app, tokenB)).statusCode).toBe(200);
    expect(fake.requests.length - before).toBe(perRead);

    // Tokens naming a kid that exists nowhere, all at once: refused, and no further read of the secret.
    const strangerKey = createPrivateKey(rsaPem());
    const forged = Array.from({ length: 10 }, (_, i) => forgeRs256(genuineHeader(`kid-made-up-${i}`), genuineClaims(account.id), strangerKey));
    before = fake.requests.length;
    const answers = await Promise.all(forged.map((token) => me(testApp.app, token)));
    answers.forEach((answer) => expectInvalidCredentials(answer));
    expect(fake.requests.length - before).toBe(0);
  });
});
