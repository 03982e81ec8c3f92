import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { User } from '../../src/users/user.entity';
import { manyLoginsEnv, uniqueEmail } from '../support/auth';
import { runServerProcessToExit } from '../support/server-process';
import { LoopbackTestApp, startTestAppOnLoopback } from '../support/test-app';
import { ownRateLimitCounters } from '../throttling/own-counters';

/** What a trusted proxy might pass on from a client that wrote the header itself. */
const NOT_AN_ADDRESS = 'A'.repeat(60);

/**
 * The client address (docs/http-contract.md, Rate limits): X-Forwarded-For is read only when the peer is a trusted
 * proxy, and then only a well-formed IP address in it is believed; anything else leaves the peer's
 * own address. Over a real loopback socket, where the peer is 127.0.0.1 and trusted.
 */
describe('The client address behind a trusted proxy', () => {
  describe('in the audit trail', () => {
    let t: LoopbackTestApp;
    const ipOf = async (action: string, targetId: string | null, outcome: string): Promise<string[]> =>
      (
        await t.app
          .get(DataSource)
          .query<Array<{ ip: string }>>('SELECT ip FROM audit_events WHERE action = $1 AND target_id IS NOT DISTINCT FROM $2 AND outcome = $3', [
            action,
            targetId,
            outcome,
          ])
      ).map((row) => row.ip);

    beforeAll(async () => {
      t = await startTestAppOnLoopback({ env: { TRUSTED_PROXIES: '127.0.0.1/32', ...manyLoginsEnv(), ...ownRateLimitCounters() } });
    });
    afterAll(() => t.close());

    /** A sign-up through the proxy, and the new account's id (the 202 names no user: it is read by the address). */
    const registerFrom = async (forwardedFor: string): Promise<{ status: number; userId: string | null }> => {
      const email = uniqueEmail();
      const response = await t.http.send({
        method: 'POST',
        path: '/api/v1/auth/register',
        body: { email, password: `pw-${randomUUID()}`, name: 'Proxied' },
        headers: { 'x-forwarded-for': forwardedFor },
      });
      const user = await t.app.get(DataSource).getRepository(User).findOneBy({ email });
      return { status: response.status, userId: user?.id ?? null };
    };

    it('records the address the proxy reports', async () => {
      const { status, userId } = await registerFrom('127.0.0.42');
      expect(status).toBe(202);
      expect(await ipOf('auth.register', userId, 'success')).toEqual(['127.0.0.42']);
    });

    it.each([NOT_AN_ADDRESS, `fe80::1%${NOT_AN_ADDRESS}`])(
      'registers with the peer address when the proxy passes on %s, which is not an address',
      async (forwardedFor) => {
        const { status, userId } = await registerFrom(forwardedFor);
        expect(status).toBe(202);
        expect(await ipOf('auth.register', userId, 'success')).toEqual(['127.0.0.1']);
      },
    );

    it('refuses a failed login with 401 and keeps its audit row, with the peer address', async () => {
      const email = uniqueEmail('nobody');
      const response = await t.http.send({
        method: 'POST',
        path: '/api/v1/auth/login',
        body: { email, password: 'a-wrong-password-1' },
        headers: { 'x-forwarded-for': NOT_AN_ADDRESS },
      });
      expect(response.status).toBe(401);
      expect(await ipOf('auth.login', null, 'failure')).toEqual(['127.0.0.1']);
    });
  });

  describe('as the rate-limit key', () => {
    let t: LoopbackTestApp;
    beforeAll(async () => {
      t = await startTestAppOnLoopback({ env: { TRUSTED_PROXIES: '127.0.0.1/32', RATE_LIMIT_ANONYMOUS: '3/60s', ...ownRateLimitCounters() } });
    });
    afterAll(() => t.close());

    const productsFrom = async (forwardedFor: string) => (await t.http.send({ path: '/api/v1/products', headers: { 'x-forwarded-for': forwardedFor } })).status;

    it('counts each address the proxy reports on its own', async () => {
      const statuses = [];
      for (const client of ['127.0.0.11', '127.0.0.12', '127.0.0.13', '127.0.0.14']) statuses.push(await productsFrom(client));
      expect(statuses).toEqual([200, 200, 200, 200]);
    });

    it('counts whatever is not an address against the peer: a new made-up value is no new quota', async () => {
      const statuses = [];
      for (const madeUp of ['not-an-ip', 'not-an-ip-2', NOT_AN_ADDRESS, 'unknown']) statuses.push(await productsFrom(madeUp));
      expect(statuses).toEqual([200, 200, 200, 429]);
    });
  });

  describe('TRUSTED_PROXIES in production', () => {
    it('accepts the proxies it names', () => {
      expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://orders.example', TRUSTED_PROXIES: '10.200.0.10/32, fd00::10' }).TRUSTED_PROXIES).toBe(
        '10.200.0.10/32, fd00::10',
      );
    });

    it.each(['0.0.0.0/0', '10.200.0.10/32,::/0'])('refuses to boot when it trusts every address (%s)', async (trusted) => {
      const ended = await runServerProcessToExit(
        { NODE_ENV: 'production', PUBLIC_URL: 'https://orders.example', SECRETS_PROVIDER: 'aws', AWS_SECRET_ID: 'never-read', TRUSTED_PROXIES: trusted },
        15_000,
      );
      expect(ended.code).toBe(1);
      expect(ended.output).toBe(
        `Boot failed: Invalid configuration: TRUSTED_PROXIES may not trust every address in production (${trusted.split(',').at(-1)})\n`,
      );
    });
  });
});
