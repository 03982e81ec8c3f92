import { DataSource } from 'typeorm';
import { User } from '../../src/users/user.entity';
import { bearer, login, loginRequest, manyLoginsEnv, me, refreshRequest, register } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

/** OWASP ASVS V7.1.1: no credential in any log line, whatever the flow, success or failure. */
describe('Logs during auth flows', () => {
  const lines: string[] = [];
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ env: { ...manyLoginsEnv(), LOG_LEVEL: 'info' }, logStream: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => testApp.close());

  it('hold no password, hash, access token or refresh token', async () => {
    const app = testApp.app;
    const newPassword = 'the second password';
    const account = await register(app, { password: 'the first password' });
    await loginRequest(app, account.email, 'a wrong password');
    const first = await login(app, account);
    const second = (await refreshRequest(app, first.refreshToken)).json<{ accessToken: string; refreshToken: string }>();
    await refreshRequest(app, first.refreshToken); // reuse
    const third = await login(app, account);
    await me(app, third.accessToken);
    await app.inject({ method: 'GET', url: `/api/v1/users/me?access_token=${third.accessToken}` });
    await app.inject({ method: 'PATCH', url: '/api/v1/users/me', headers: bearer(third.accessToken), payload: { name: 'Logged' } });
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: bearer(third.accessToken),
      payload: { currentPassword: 'a wrong password', newPassword },
    });
    await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: bearer(third.accessToken),
      payload: { currentPassword: account.password, newPassword },
    });
    const fourth = await login(app, { email: account.email, password: newPassword });
    await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(fourth.accessToken), payload: {} });
    await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email: 'bad', password: 'short', name: '' } });

    const { passwordHash } = await app.get(DataSource).getRepository(User).findOneByOrFail({ id: account.id });
    const tokens = [first, second, third, fourth].flatMap(({ accessToken, refreshToken }) => [accessToken, accessToken.split('.')[2], refreshToken]);
    const secrets = [account.password, newPassword, 'a wrong password', passwordHash, passwordHash.split('$').pop()!, ...tokens];

    // The capture works: every request was logged.
    expect(lines.filter((line) => line.includes('/api/v1/auth/login')).length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
  });
});
