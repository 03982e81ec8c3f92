import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { LocalSecretsProvider } from '../../src/secrets/local-secrets.provider';
import { bearer, login, me, refreshRequest, register } from '../support/auth';
import { insertProduct } from '../support/fixtures';
import { startTestApp } from '../support/test-app';

/** `npm start` without services: embedded Postgres and local secrets under DATA_DIR survive a restart. */
describe('embedded mode keeps its data', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orders-data-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps rows across a stop and a start', async () => {
    const database = { target: { pgliteDir: dataDir }, redisKeyPrefix: 'persistence:', drop: async () => undefined };
    const first = await startTestApp({ database });
    const product = await insertProduct(first.app.get(DataSource), { sku: 'KEPT-1' });
    await first.close();

    const second = await startTestApp({ database });
    try {
      const response = await second.app.inject({ method: 'GET', url: `/api/v1/products/${product.id}` });
      expect(response.statusCode).toBe(200);
      expect(response.json().sku).toBe('KEPT-1');
    } finally {
      await second.close();
    }
  });

  it('keeps revocations across a restart (reloaded from the database): a logged-out token stays refused, a live one and its refresh token work', async () => {
    const database = { target: { pgliteDir: join(dataDir, 'sessions') }, redisKeyPrefix: 'restart:', drop: async () => undefined };
    // No Redis even in the service suite: this is about the in-memory store of `npm start`.
    const embedded = { database, secrets: { redisUrl: undefined } };
    const first = await startTestApp(embedded);
    const account = await register(first.app);
    const [loggedOut, kept] = [await login(first.app, account), await login(first.app, account)];
    expect((await first.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(loggedOut.accessToken), payload: {} })).statusCode).toBe(204);
    expect((await me(first.app, loggedOut.accessToken)).statusCode).toBe(401);
    await first.close();

    // At once, in the same second: revocation does not depend on telling seconds apart.
    const second = await startTestApp(embedded);
    try {
      expect((await me(second.app, loggedOut.accessToken)).statusCode).toBe(401);
      expect((await me(second.app, kept.accessToken)).statusCode).toBe(200);
      expect((await refreshRequest(second.app, loggedOut.refreshToken)).statusCode).toBe(401);
      const refreshed = await refreshRequest(second.app, kept.refreshToken);
      expect(refreshed.statusCode).toBe(200);
      expect((await me(second.app, refreshed.json().accessToken)).statusCode).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('generates local secrets once, mode 0600, and reuses them', async () => {
    const first = await new LocalSecretsProvider(dataDir, {}).load();
    const second = await new LocalSecretsProvider(dataDir, {}).load();
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(second.signingKeys.current.kid).toBe(first.signingKeys.current.kid);
    expect(first.signingKeys.current.privateKey.asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
  });
});
