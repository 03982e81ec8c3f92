import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoAccountsSeeder } from '../../src/users/demo-accounts.seeder';
import { startTestServices } from '../support/test-services';

/**
 * Every embedded install gets demo passwords of its own, never a default every clone would share
 * (OWASP ASVS V2.3.1; CWE-1392). The accounts working over HTTP: demo-accounts.e2e-spec.ts.
 */
describe('Demo accounts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-accounts-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  afterEach(() => jest.restoreAllMocks());

  /** The passwords a first start on a fresh database shows. */
  async function firstStartPasswords(): Promise<string[]> {
    const services = await startTestServices();
    try {
      const accounts = await services.app.get(DemoAccountsSeeder).seedIfEmpty(mkdtempSync(join(dataDir, 'install-')));
      return accounts.map((account) => account.password);
    } finally {
      await services.close();
    }
  }

  it('never uses the same passwords twice', async () => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const [first, second] = [await firstStartPasswords(), await firstStartPasswords()];
    expect(first).toHaveLength(2);
    expect(new Set([...first, ...second]).size).toBe(4);
  });
});
