import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoAccountsSeeder } from '../../src/users/demo-accounts.seeder';
import { decodeSegment } from '../support/forge-token';
import { login, manyLoginsEnv } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';

/** First start in embedded mode: a demo admin and customer, random passwords, shown once, kept in a 0600 file. */
describe('Demo accounts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-accounts-'));
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ env: manyLoginsEnv() });
  });
  afterAll(async () => {
    await testApp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => jest.restoreAllMocks());

  it('seeds an admin and a customer whose random passwords work, shown once and saved with mode 0600', async () => {
    const app = testApp.app;
    const printed = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const accounts = await app.get(DemoAccountsSeeder).seedIfEmpty(dataDir);

    expect(accounts.map(({ email, role }) => [email, role])).toEqual([
      ['admin@example.com', 'admin'],
      ['customer@example.com', 'customer'],
    ]);
    const file = join(dataDir, 'demo-credentials.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(printed).toHaveBeenCalledTimes(1);
    for (const { email, role, password } of accounts) {
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(readFileSync(file, 'utf8')).toContain(password);
      expect(printed.mock.calls[0][0]).toContain(password);
      expect(decodeSegment((await login(app, { email, password })).accessToken, 1)).toMatchObject({ role });
    }

    expect(await app.get(DemoAccountsSeeder).seedIfEmpty(dataDir)).toEqual([]);
    expect(printed).toHaveBeenCalledTimes(1);
  });
});
