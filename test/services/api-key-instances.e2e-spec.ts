import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { basicAuth, clientApiKey, post, serviceClient, tokenRequest, withApiKey } from '../support/api-keys';
import { expectInvalidCredentials, manyLoginsEnv } from '../support/auth';
import { admin, Caller, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';
import { ownRateLimitCounters } from '../throttling/own-counters';

/**
 * docs/http-contract.md: revoking a key, suspending its owner or deleting a service client stops its credentials
 * "at once", on every instance. Two instances of the service share one Postgres and one Redis; a
 * change made through one holds on the other at the next request.
 */
describe('API keys and service clients across instances (shared Postgres and Redis)', () => {
  let first: TestApp;
  let second: TestApp;
  let root: Caller;

  beforeAll(async () => {
    const env = { ...manyLoginsEnv(), ...ownRateLimitCounters(), RATE_LIMIT_TOKEN: '4/60s' };
    first = await startTestApp({ env });
    second = await startTestApp({ env, database: first.database });
    root = await admin(first.app);
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  const orders = (app: NestFastifyApplication, headers: Record<string, string>) => app.inject({ url: '/api/v1/orders', headers });

  it('a key revoked on one instance is refused on the other', async () => {
    const alice = await withApiKey(first.app, await customer(first.app));
    expect((await orders(second.app, alice.headers)).statusCode).toBe(200);
    await first.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${alice.apiKey.id}`, headers: { authorization: `Bearer ${alice.tokens.accessToken}` } });
    expectInvalidCredentials(await orders(second.app, alice.headers));
  });

  it('a user suspended on one instance: their key is refused on the other', async () => {
    const alice = await withApiKey(first.app, await customer(first.app));
    expect((await orders(second.app, alice.headers)).statusCode).toBe(200);
    expect((await post(first.app, `/users/${alice.id}/suspend`, root.headers, {})).statusCode).toBe(204);
    expectInvalidCredentials(await orders(second.app, alice.headers));
  });

  it('a client deleted on one instance: its token and its key are refused on the other', async () => {
    const client = await serviceClient(first.app, root, ['orders:read']);
    const key = await clientApiKey(first.app, root, client);
    expect((await orders(second.app, client.headers)).statusCode).toBe(200);
    expect((await orders(second.app, key.headers)).statusCode).toBe(200);
    expect((await first.app.inject({ method: 'DELETE', url: `/api/v1/service-clients/${client.id}`, headers: root.headers })).statusCode).toBe(204);
    expectInvalidCredentials(await orders(second.app, client.headers));
    expectInvalidCredentials(await orders(second.app, key.headers));
  });

  it('counts token requests per client_id across both instances', async () => {
    const client = await serviceClient(first.app, root, ['orders:read']); // one request, on the first
    const request = (app: NestFastifyApplication) => tokenRequest(app, { grant_type: 'client_credentials' }, basicAuth(client.clientId, client.clientSecret));
    expect((await request(second.app)).statusCode).toBe(200);
    expect((await request(first.app)).statusCode).toBe(200);
    expect((await request(second.app)).statusCode).toBe(200);
    expect((await request(first.app)).statusCode).toBe(429);
  });

  it('of concurrent key creations for one user, exactly two succeed: the owner row lock serializes them', async () => {
    const alice = await customer(first.app);
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => post(i % 2 ? first.app : second.app, '/api-keys', alice.headers, { name: `racer ${i}` })),
    );
    expect(attempts.map((response) => response.statusCode).sort()).toEqual([201, 201, 409, 409, 409, 409]);
  });
});
