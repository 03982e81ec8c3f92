import { DataSource } from 'typeorm';
import { generateApiKey } from '../../src/api-keys/api-key-format';
import { ApiKey } from '../../src/api-keys/api-key.entity';
import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { apiKeyHeader } from '../support/api-keys';
import { expectInvalidCredentials } from '../support/auth';
import { actorFor, insertUser } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { ownRateLimitCounters } from '../throttling/own-counters';
import { PRODUCTION_PUBLIC_URL } from '../support/forge-token';

/** docs/http-contract.md, API keys: `sk_live_` keys in production, `sk_test_` elsewhere; neither works in the other. */
describe('API keys in production', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({
      env: { NODE_ENV: 'production', PUBLIC_URL: PRODUCTION_PUBLIC_URL, TRUSTED_PROXIES: '127.0.0.1/32', ...ownRateLimitCounters() },
    });
  });
  afterAll(() => testApp.close());

  const orders = (key: string) => testApp.app.inject({ url: '/api/v1/orders', headers: { ...apiKeyHeader(key), 'x-forwarded-proto': 'https' } });

  it('issues sk_live_ keys, which work, and refuses a test key even when it is on file', async () => {
    const user = await insertUser(testApp.app.get(DataSource));
    const { key } = await testApp.app.get(ApiKeysService).createForUser(user.id, { name: 'production' }, actorFor(user.id));
    expect(key).toMatch(/^sk_live_[0-9A-Za-z]{49}$/);
    expect((await orders(key)).statusCode).toBe(200);

    const testKey = generateApiKey('user', 'test');
    await testApp.app
      .get(DataSource)
      .getRepository(ApiKey)
      .insert({ keyHash: testKey.hash, prefix: testKey.prefix, last4: testKey.last4, name: 'from a test setup', scopes: ['orders:read'], userId: user.id });
    expectInvalidCredentials(await orders(testKey.key));
  });
});
