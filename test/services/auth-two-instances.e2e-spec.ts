import { bearer, expectInvalidCredentials, manyLoginsEnv, me } from '../support/auth';
import { customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * docs/http-contract.md: logout and password change revoke tokens "on every instance". Two instances of the service
 * share one database and one Redis; a revocation made on one holds on the other at the next request.
 */
describe('Revocation across instances (shared Redis)', () => {
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    const env = manyLoginsEnv();
    first = await startTestApp({ env });
    second = await startTestApp({ env, database: first.database });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('a logout on one instance is refused on the other', async () => {
    const { tokens } = await customer(first.app);
    expect((await me(second.app, tokens.accessToken)).statusCode).toBe(200);
    expect((await first.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(tokens.accessToken), payload: {} })).statusCode).toBe(204);
    expectInvalidCredentials(await me(second.app, tokens.accessToken));
  });

  it('a password change on one instance voids the old tokens on the other', async () => {
    const account = await customer(first.app);
    expect((await me(second.app, account.tokens.accessToken)).statusCode).toBe(200);
    const changed = await first.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: bearer(account.tokens.accessToken),
      payload: { currentPassword: account.password, newPassword: 'a new password for both' },
    });
    expect(changed.statusCode).toBe(204);
    expectInvalidCredentials(await me(second.app, account.tokens.accessToken));
  });

  it('refresh-token reuse seen by one instance revokes the session on the other', async () => {
    const { tokens } = await customer(first.app);
    const refresh = (app: TestApp, refreshToken: string) => app.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
    const next = (await refresh(first, tokens.refreshToken)).json<{ accessToken: string }>();
    expect((await me(second.app, next.accessToken)).statusCode).toBe(200);
    expect((await refresh(second, tokens.refreshToken)).statusCode).toBe(401);
    expectInvalidCredentials(await me(first.app, next.accessToken));
  });
});
