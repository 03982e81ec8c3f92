import { loginRequest, manyLoginsEnv, me, TokenPair } from '../support/auth';
import { customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * docs/http-contract.md: a token whose revocation state is unknown is never accepted, and logins are not checked
 * without their limits. With Redis unreachable (nothing listens on port 1), both answer 503 with
 * Retry-After, while the same requests succeed where Redis (or the embedded store) answers.
 */
describe('Redis unreachable: authentication fails closed', () => {
  let healthy: TestApp;
  let down: TestApp;
  let account: { email: string; password: string; tokens: TokenPair };

  beforeAll(async () => {
    healthy = await startTestApp({ env: manyLoginsEnv() });
    down = await startTestApp({ env: manyLoginsEnv(), secrets: { redisUrl: 'redis://127.0.0.1:1' } });
    account = await customer(healthy.app);
  });
  afterAll(async () => {
    await down.close();
    await healthy.close();
  });

  function expectUnavailable(response: Awaited<ReturnType<typeof me>>): void {
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    const { requestId: _id, ...body } = response.json<Record<string, unknown>>();
    expect(body).toEqual({ type: 'about:blank', title: 'Service Unavailable', status: 503, instance: expect.any(String) });
  }

  it('refuses a valid access token with 503 rather than accept it unchecked', async () => {
    expect((await me(healthy.app, account.tokens.accessToken)).statusCode).toBe(200);
    expectUnavailable(await me(down.app, account.tokens.accessToken));
  });

  it('refuses to check a password without its limits', async () => {
    expect((await loginRequest(healthy.app, account.email, account.password)).statusCode).toBe(200);
    expectUnavailable(await loginRequest(down.app, account.email, account.password));
  });

  it('still answers 401 to a request without a credential', async () => {
    expect((await down.app.inject({ method: 'GET', url: '/api/v1/users/me' })).statusCode).toBe(401);
  });
});
