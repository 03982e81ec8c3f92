import { ServiceClientsRepository } from '../../src/service-clients/service-clients.repository';
import { ServiceClientsService } from '../../src/service-clients/service-clients.service';
import { basicAuth, tokenRequest } from '../support/api-keys';
import { actorFor } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * RATE_LIMIT_TOKEN guards a credential check, so it fails closed like login: with Redis unreachable
 * (nothing listens on port 1) no client secret is checked (503, Retry-After), and a client cannot be
 * deleted while the store that voids its tokens cannot be written.
 */
describe('Redis unreachable: the token endpoint and client deletion fail closed', () => {
  let down: TestApp;

  beforeAll(async () => {
    down = await startTestApp({ secrets: { redisUrl: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => down.close());

  it('answers a token request 503 with the §5.2 catch-all code invalid_request, without checking the secret', async () => {
    const { client, clientSecret } = await down.app
      .get(ServiceClientsService)
      .create({ name: 'c', scopes: ['orders:read'] }, actorFor('00000000-0000-4000-8000-000000000000'));
    const response = await tokenRequest(down.app, { grant_type: 'client_credentials' }, basicAuth(client.clientId, clientSecret));
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'Service temporarily unavailable' });
  });

  it('refuses to delete a client (503) and leaves it in place', async () => {
    const clients = down.app.get(ServiceClientsService);
    const actor = actorFor('00000000-0000-4000-8000-000000000000');
    const { client } = await clients.create({ name: 'c', scopes: ['orders:read'] }, actor);
    await expect(clients.delete(client, actor)).rejects.toMatchObject({ status: 503 });
    expect(await down.app.get(ServiceClientsRepository).findActive('service', client.id)).not.toBeNull();
  });
});
