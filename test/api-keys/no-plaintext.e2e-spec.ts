import { DataSource } from 'typeorm';
import { apiKeyHeader, basicAuth, clientApiKey, NewApiKey, post, serviceClient, tokenRequest, usageWritten, withApiKey } from '../support/api-keys';
import { bearer, manyLoginsEnv } from '../support/auth';
import { admin, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * docs/http-contract.md: keys and client secrets are stored only as hashes, and never appear in a log line, an
 * audit event or an error body (OWASP ASVS V6.4 / V7.1.1). Every flow runs, then the tables and the
 * captured logs are searched for every plaintext the flows handled.
 */
describe('API keys and client secrets at rest and in logs', () => {
  const lines: string[] = [];
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ env: { ...manyLoginsEnv(), LOG_LEVEL: 'info' }, logStream: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => testApp.close());

  it('the database and the logs hold no plaintext key, secret or client token', async () => {
    const app = testApp.app;
    const root = await admin(app);
    const alice = await withApiKey(app, await customer(app));
    const rotated = (await post(app, `/api-keys/${alice.apiKey.id}/rotate`, bearer(alice.tokens.accessToken))).json<NewApiKey>();
    const client = await serviceClient(app, root, ['orders:read']);
    const clientKey = (await clientApiKey(app, root, client)).apiKey;
    const newSecret = (await post(app, `/service-clients/${client.id}/rotate-secret`, root.headers, {})).json().clientSecret as string;

    const keys = [alice.apiKey.key, rotated.key, clientKey.key];
    const secrets = [client.clientSecret, newSecret];
    const tokens = [client.headers.authorization.slice('Bearer '.length)];
    for (const key of keys) {
      await app.inject({ url: '/api/v1/orders', headers: apiKeyHeader(key) });
      await app.inject({ url: '/api/v1/orders', headers: bearer(key) });
      await app.inject({ url: `/api/v1/orders?api_key=${key}` });
      // A typo of the key: refused, and not logged either.
      await app.inject({ url: '/api/v1/orders', headers: apiKeyHeader(`${key.slice(0, -1)}x`) });
    }
    for (const secret of secrets) {
      await tokenRequest(app, { grant_type: 'client_credentials' }, basicAuth(client.clientId, secret));
      await tokenRequest(app, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret });
      await tokenRequest(app, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: `${secret}x` });
    }
    await app.inject({ url: '/api/v1/orders', headers: client.headers });
    await app.inject({ method: 'DELETE', url: `/api/v1/service-clients/${client.id}`, headers: root.headers });
    await usageWritten(app);

    // The random part alone (no prefix, no checksum) must not appear either, nor any Basic header.
    const plaintexts = [...keys, ...keys.map((key) => key.replace(/^(sk|svc)_test_/, '').slice(0, -6)), ...secrets, ...tokens];
    const basicHeaders = secrets.map((secret) => basicAuth(client.clientId, secret).authorization.slice('Basic '.length));

    const db = app.get(DataSource);
    const stored = JSON.stringify(
      await Promise.all(['api_keys', 'service_clients', 'api_key_ips', 'audit_events'].map((table) => db.query(`SELECT * FROM ${table}`))),
    );
    expect(stored).toContain(client.clientId); // the tables were read
    for (const plaintext of plaintexts) expect(stored).not.toContain(plaintext);

    expect(lines.filter((line) => line.includes('/oauth/token')).length).toBeGreaterThanOrEqual(6); // the capture works
    for (const line of lines) {
      for (const plaintext of [...plaintexts, ...basicHeaders]) expect(line).not.toContain(plaintext);
    }
  });
});
