import { DataSource } from 'typeorm';
import { clientApiKey, serviceClient, withApiKey } from '../support/api-keys';
import { manyLoginsEnv } from '../support/auth';
import { admin, Caller, customer } from '../support/principals';
import { LoopbackTestApp, startTestAppOnLoopback } from '../support/test-app';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/**
 * An admin revokes one API key of one user, without suspending the whole account:
 * `DELETE /api/v1/users/:id/api-keys/:keyId` (admin only, audited, 204). Over real HTTP.
 */
describe('DELETE /users/:id/api-keys/:keyId (admin)', () => {
  let t: LoopbackTestApp;
  let root: Caller;
  let alice: Caller;
  let bob: Caller;

  beforeAll(async () => {
    t = await startTestAppOnLoopback({ env: manyLoginsEnv() });
    [root, alice, bob] = await Promise.all([admin(t.app), customer(t.app), customer(t.app)]);
  });
  afterAll(() => t.close());

  const revoke = (caller: { headers: Record<string, string> }, userId: string, keyId: string) =>
    t.http.send({ method: 'DELETE', path: `/api/v1/users/${userId}/api-keys/${keyId}`, headers: caller.headers });
  const ordersStatus = async (caller: { headers: Record<string, string> }) => (await t.http.send({ path: '/api/v1/orders', headers: caller.headers })).status;

  it('revokes that key at once (204) and audits it; the user, their session and their other key go on', async () => {
    const [leaked, other] = [await withApiKey(t.app, alice, { name: 'leaked' }), await withApiKey(t.app, alice, { name: 'other' })];
    expect(await ordersStatus(leaked)).toBe(200);

    const response = await revoke(root, alice.id, leaked.apiKey.id);
    expect(response.status).toBe(204);
    expect(response.text).toBe('');

    expect(await ordersStatus(leaked)).toBe(401);
    expect(await ordersStatus(other)).toBe(200);
    expect(await ordersStatus(alice)).toBe(200);
    const events = await t.app
      .get(DataSource)
      .query(`SELECT actor_type, actor_id, outcome FROM audit_events WHERE action = 'api_key.revoke' AND target_id = $1`, [leaked.apiKey.id]);
    expect(events).toEqual([{ actor_type: 'user', actor_id: root.id, outcome: 'success' }]);
  });

  it('answers 404 for an unknown user, an unknown key, and a key that is not that user’s, and revokes nothing', async () => {
    const alicesKey = await withApiKey(t.app, alice, { name: 'kept' });
    const client = await serviceClient(t.app, root, ['orders:read']);
    const clientKey = await clientApiKey(t.app, root, client);
    for (const [userId, keyId] of [
      [NO_SUCH_ID, alicesKey.apiKey.id],
      [alice.id, NO_SUCH_ID],
      [bob.id, alicesKey.apiKey.id],
      [alice.id, clientKey.apiKey.id],
      [client.id, clientKey.apiKey.id],
    ]) {
      const response = await revoke(root, userId, keyId);
      expect({ userId, keyId, status: response.status, type: response.headers['content-type'] }).toEqual({
        userId,
        keyId,
        status: 404,
        type: 'application/problem+json; charset=utf-8',
      });
    }
    expect(await ordersStatus(alicesKey)).toBe(200);
    expect(await ordersStatus(clientKey)).toBe(200);
    // Then the one right pair does it.
    expect((await revoke(root, alice.id, alicesKey.apiKey.id)).status).toBe(204);
    expect(await ordersStatus(alicesKey)).toBe(401);
  });

  it('refuses the owner, another customer and any API key with 403 (BFLA), and revokes nothing', async () => {
    const carol = await customer(t.app);
    const carolsKey = await withApiKey(t.app, carol, { name: 'carol' });
    const adminsKey = await withApiKey(t.app, root, { name: 'admin key' });
    for (const caller of [carol, bob, carolsKey, adminsKey]) {
      expect((await revoke(caller, carol.id, carolsKey.apiKey.id)).status).toBe(403);
    }
    expect(await ordersStatus(carolsKey)).toBe(200);
  });

  it('answers 400 for a malformed id', async () => {
    const key = await withApiKey(t.app, bob, { name: 'bob' });
    expect((await revoke(root, 'not-a-uuid', key.apiKey.id)).status).toBe(400);
    expect((await revoke(root, bob.id, 'not-a-uuid')).status).toBe(400);
    expect(await ordersStatus(key)).toBe(200);
  });
});
