import { createPublicKey, verify as verifySignature } from 'node:crypto';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { MAIL_ON_ITS_WAY } from '../../src/auth/accepted.response';
import { AccountsService } from '../../src/auth/accounts.service';
import { SessionsService } from '../../src/auth/sessions.service';
import { FIRST_PARTY_CLIENT_ID } from '../../src/auth/token.constants';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { User } from '../../src/users/user.entity';
import { bearer, expectInvalidCredentials, login, loginRequest, manyLoginsEnv, me, refreshRequest, register, uniqueEmail } from '../support/auth';
import { customer } from '../support/principals';
import { decodeSegment, TEST_APP_ISSUER } from '../support/forge-token';
import { HttpClient } from '../support/http-client';
import { startTestApp, TestApp } from '../support/test-app';
import { testSecrets } from '../support/test-secrets';

describe('Auth flows (docs/http-contract.md, Auth)', () => {
  let testApp: TestApp;
  const app = () => testApp.app;
  const kid = testSecrets().signingKeys.current.kid;

  beforeAll(async () => {
    testApp = await startTestApp({ env: manyLoginsEnv() });
  });
  afterAll(() => testApp.close());

  const post = (url: string, payload: object, headers: Record<string, string> = {}) => app().inject({ method: 'POST', url, payload, headers });

  describe('register', () => {
    it('creates an unverified customer and answers 202 with exactly the message, never the user', async () => {
      const response = await post('/api/v1/auth/register', { email: '  New.Person@Example.TEST ', password: 'correct horse battery', name: 'New Person' });
      expect(response.statusCode).toBe(202);
      expect(response.json()).toEqual({ message: MAIL_ON_ITS_WAY.message });
      const user = await app().get(DataSource).getRepository(User).findOneByOrFail({ email: 'new.person@example.test' });
      expect(user).toMatchObject({ email: 'new.person@example.test', name: 'New Person', role: 'customer', status: 'active', emailVerifiedAt: null });
    });

    it('refuses a body naming a role, or any other unknown field, with 400', async () => {
      const base = { email: uniqueEmail(), password: 'correct horse battery', name: 'Mallory' };
      for (const extra of [{ role: 'admin' }, { status: 'active' }, { passwordHash: 'x' }]) {
        expect((await post('/api/v1/auth/register', { ...base, ...extra })).statusCode).toBe(400);
      }
      expect((await post('/api/v1/auth/register', base)).statusCode).toBe(202);
    });

    it('holds passwords to 15..128 characters and names to 1..100', async () => {
      const valid = { email: uniqueEmail(), password: 'correct-horse-1', name: 'N' };
      for (const invalid of [
        { password: 'correct-horse-' },
        { password: `${'x'.repeat(128)}y` },
        { name: '' },
        { name: 'n'.repeat(101) },
        { email: 'not-an-email' },
      ]) {
        const response = await post('/api/v1/auth/register', { ...valid, ...invalid });
        expect(response.statusCode).toBe(400);
        // Validation errors name the field, never echo the value.
        expect(response.body).not.toContain('correct-horse-');
      }
      expect((await post('/api/v1/auth/register', { ...valid, password: `${'x'.repeat(127)}y` })).statusCode).toBe(202);
    });

    it('answers a taken email, in any case, with the same 202 and body as a new one, and changes nothing', async () => {
      const email = uniqueEmail();
      const account = await register(app(), { email });
      const fresh = await post('/api/v1/auth/register', { email: uniqueEmail(), password: 'another password', name: 'Someone' });
      const taken = await post('/api/v1/auth/register', { email: email.toUpperCase(), password: 'another password', name: 'Twin' });
      expect(taken.statusCode).toBe(202);
      expect(taken.statusCode).toBe(fresh.statusCode);
      expect(taken.body).toBe(fresh.body);
      // No second account, and the first one is as it was: its name, its password.
      const users = await app().get(DataSource).getRepository(User).findBy({ email: account.email });
      expect(users.map(({ id, name }) => ({ id, name }))).toEqual([{ id: account.id, name: 'Test User' }]);
      expect((await loginRequest(app(), account.email, account.password)).statusCode).toBe(200);
      expect((await loginRequest(app(), account.email, 'another password')).statusCode).toBe(401);
    });

    it('stores an argon2id hash (m >= 19 MiB, t >= 2, p = 1), never the password', async () => {
      const account = await register(app());
      const user = await app().get(DataSource).getRepository(User).findOneByOrFail({ id: account.id });
      const [, algorithm, , params] = user.passwordHash.split('$');
      expect(algorithm).toBe('argon2id');
      // PHC string format: $argon2id$v=19$m=...,p=...,t=...$salt$hash
      const { m, t, p } = Object.fromEntries(params.split(',').map((pair) => [pair.split('=')[0], Number(pair.split('=')[1])]));
      expect(m).toBeGreaterThanOrEqual(19 * 1024);
      expect(t).toBeGreaterThanOrEqual(2);
      expect(p).toBe(1);
      expect(user.passwordHash).not.toContain(account.password);
    });
  });

  describe('login', () => {
    it('answers 200 with the token pair, never cached', async () => {
      const account = await register(app());
      const response = await loginRequest(app(), account.email.toUpperCase(), account.password);
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      const body = response.json<Record<string, unknown>>();
      expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken', 'tokenType']);
      expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
      expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('issues an RS256 at+jwt with exactly the claims of docs/http-contract.md and no personal data', async () => {
      const account = await customer(app());
      const header = decodeSegment(account.tokens.accessToken, 0);
      const claims = decodeSegment(account.tokens.accessToken, 1);
      expect(header).toEqual({ alg: 'RS256', typ: 'at+jwt', kid });
      expect(Object.keys(claims).sort()).toEqual(['aud', 'client_id', 'email_verified', 'exp', 'gen', 'iat', 'iss', 'jti', 'role', 'scope', 'sub']);
      // RFC 9068 §2.2: the client a user's login goes through; iss: the public URL (here the local default).
      expect(claims).toMatchObject({
        iss: TEST_APP_ISSUER,
        sub: `user:${account.id}`,
        client_id: FIRST_PARTY_CLIENT_ID,
        role: 'customer',
        scope: 'orders:read orders:write',
        email_verified: true,
      });
      expect((claims.exp as number) - (claims.iat as number)).toBe(900);
      expect(account.tokens.accessToken).not.toContain(Buffer.from(account.email).toString('base64url').slice(0, 12));
    });

    it('gives an admin every scope', async () => {
      const email = uniqueEmail('admin');
      await app().get(AccountsService).createOrPromoteAdmin(email, 'admin password 1');
      const claims = decodeSegment((await login(app(), { email, password: 'admin password 1' })).accessToken, 1);
      expect(claims).toMatchObject({ role: 'admin', scope: 'orders:read orders:write orders:fulfil products:write' });
    });
  });

  describe('GET /.well-known/jwks.json', () => {
    it('publishes the signing key, public members only, and it verifies our tokens', async () => {
      const response = await app().inject({ method: 'GET', url: '/.well-known/jwks.json' });
      expect(response.statusCode).toBe(200);
      const { keys } = response.json<{ keys: Array<Record<string, string>> }>();
      expect(keys).toHaveLength(1);
      expect(Object.keys(keys[0]).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      expect(keys[0]).toMatchObject({ kty: 'RSA', kid, use: 'sig', alg: 'RS256' });

      const { tokens } = await customer(app());
      const [header, payload, signature] = tokens.accessToken.split('.');
      const publicKey = createPublicKey({ key: keys[0], format: 'jwk' });
      expect(verifySignature('RSA-SHA256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    });

    it('is not under /api/v1', async () => {
      expect((await app().inject({ method: 'GET', url: '/api/v1/.well-known/jwks.json' })).statusCode).toBe(404);
    });
  });

  describe('users/me', () => {
    it('shows and edits the caller, name only', async () => {
      const account = await customer(app());
      const shown = await me(app(), account.tokens.accessToken);
      expect(shown.statusCode).toBe(200);
      expect(shown.json()).toMatchObject({ id: account.id, email: account.email, role: 'customer' });

      const patch = (payload: object) => app().inject({ method: 'PATCH', url: '/api/v1/users/me', payload, headers: bearer(account.tokens.accessToken) });
      const renamed = await patch({ name: 'Renamed' });
      expect(renamed.statusCode).toBe(200);
      expect(renamed.json()).toMatchObject({ id: account.id, name: 'Renamed', role: 'customer' });
      for (const forbidden of [{ role: 'admin' }, { email: uniqueEmail() }, { status: 'suspended' }]) {
        expect((await patch(forbidden)).statusCode).toBe(400);
      }
      expect((await me(app(), account.tokens.accessToken)).json()).toMatchObject({ email: account.email, role: 'customer', name: 'Renamed' });
    });

    it('needs a credential', async () => {
      expectInvalidCredentials(await app().inject({ method: 'GET', url: '/api/v1/users/me' }), false);
    });
  });

  describe('refresh', () => {
    it('returns a new pair and retires the refresh token used', async () => {
      const { tokens } = await customer(app());
      const refreshed = await refreshRequest(app(), tokens.refreshToken);
      expect(refreshed.statusCode).toBe(200);
      expect(refreshed.headers['cache-control']).toBe('no-store');
      const next = refreshed.json<{ accessToken: string; refreshToken: string }>();
      expect(next.refreshToken).not.toBe(tokens.refreshToken);
      expect((await me(app(), next.accessToken)).statusCode).toBe(200);
      // The next refresh token works once more.
      expect((await refreshRequest(app(), next.refreshToken)).statusCode).toBe(200);
    });

    it('treats a retired refresh token as reuse: 401, and the whole session is revoked', async () => {
      const { id, tokens } = await customer(app());
      const next = (await refreshRequest(app(), tokens.refreshToken)).json<{ accessToken: string; refreshToken: string }>();
      expect((await me(app(), next.accessToken)).statusCode).toBe(200);

      const replay = await refreshRequest(app(), tokens.refreshToken);
      expect(replay.statusCode).toBe(401);
      expect(replay.json()).toMatchObject({ detail: 'Invalid refresh token' });
      // Every token of that session: the newest refresh token and both access tokens.
      expect((await refreshRequest(app(), next.refreshToken)).statusCode).toBe(401);
      expectInvalidCredentials(await me(app(), next.accessToken));
      expectInvalidCredentials(await me(app(), tokens.accessToken));
      const events = await app().get(DataSource).getRepository(AuditEvent).findBy({ targetId: id, action: 'auth.refresh_reuse' });
      expect(events).toEqual([expect.objectContaining({ outcome: 'failure' })]);
    });

    it('leaves the user’s other sessions alone on reuse', async () => {
      const account = await customer(app());
      const other = await login(app(), account);
      await refreshRequest(app(), account.tokens.refreshToken);
      await refreshRequest(app(), account.tokens.refreshToken);
      expect((await me(app(), other.accessToken)).statusCode).toBe(200);
      expect((await refreshRequest(app(), other.refreshToken)).statusCode).toBe(200);
    });

    it('refuses an unknown refresh token and a suspended user’s', async () => {
      expect((await refreshRequest(app(), 'A'.repeat(43))).statusCode).toBe(401);
      const { id, tokens } = await customer(app());
      await app().get(DataSource).getRepository(User).update({ id }, { status: 'suspended' });
      expect((await refreshRequest(app(), tokens.refreshToken)).statusCode).toBe(401);
    });
  });

  describe('logout', () => {
    it('revokes the access token used and its refresh family at once', async () => {
      const { tokens } = await customer(app());
      // Used once already: its verified signature is kept (AccessTokenVerifier), its revocation is checked every time.
      expect((await me(app(), tokens.accessToken)).statusCode).toBe(200);
      const loggedOut = await post('/api/v1/auth/logout', {}, bearer(tokens.accessToken));
      expect(loggedOut.statusCode).toBe(204);
      expect(loggedOut.body).toBe('');
      expectInvalidCredentials(await me(app(), tokens.accessToken));
      expect((await refreshRequest(app(), tokens.refreshToken)).statusCode).toBe(401);
    });

    it('also revokes access tokens issued earlier in the same session, and no other session', async () => {
      const account = await customer(app());
      const other = await login(app(), account);
      const next = (await refreshRequest(app(), account.tokens.refreshToken)).json<{ accessToken: string }>();
      expect((await post('/api/v1/auth/logout', {}, bearer(next.accessToken))).statusCode).toBe(204);
      expectInvalidCredentials(await me(app(), account.tokens.accessToken));
      expect((await me(app(), other.accessToken)).statusCode).toBe(200);
    });

    it('takes no body fields', async () => {
      const { tokens } = await customer(app());
      expect((await post('/api/v1/auth/logout', { everywhere: true }, bearer(tokens.accessToken))).statusCode).toBe(400);
      expect((await me(app(), tokens.accessToken)).statusCode).toBe(200);
    });
  });

  describe('password change', () => {
    it('needs the current password (403 otherwise) and a valid new one', async () => {
      const { password, tokens } = await customer(app());
      const change = (payload: object) => post('/api/v1/auth/password', payload, bearer(tokens.accessToken));
      expect((await change({ currentPassword: 'wrong password!', newPassword: 'brand new password' })).statusCode).toBe(403);
      expect((await change({ currentPassword: password, newPassword: 'too short' })).statusCode).toBe(400);
      expect((await me(app(), tokens.accessToken)).statusCode).toBe(200);
    });

    it('revokes every access and refresh token of the user; the new password works at once', async () => {
      const account = await customer(app());
      const other = await login(app(), account);
      const changed = await post(
        '/api/v1/auth/password',
        { currentPassword: account.password, newPassword: 'a brand new password' },
        bearer(account.tokens.accessToken),
      );
      expect(changed.statusCode).toBe(204);

      expectInvalidCredentials(await me(app(), account.tokens.accessToken));
      expectInvalidCredentials(await me(app(), other.accessToken));
      expect((await refreshRequest(app(), other.refreshToken)).statusCode).toBe(401);
      expect((await loginRequest(app(), account.email, account.password)).statusCode).toBe(401);
      // Logged in within the same second as the change: the new token is not caught by the revocation.
      const fresh = await login(app(), { email: account.email, password: 'a brand new password' });
      expect((await me(app(), fresh.accessToken)).statusCode).toBe(200);
    });
  });

  describe('revokeAllForUser (suspension)', () => {
    it('voids every token of the user at once', async () => {
      const account = await customer(app());
      await app().get(SessionsService).revokeAllForUser(account.id);
      expectInvalidCredentials(await me(app(), account.tokens.accessToken));
      expect((await refreshRequest(app(), account.tokens.refreshToken)).statusCode).toBe(401);
    });

    it('is exact: a second revocation in the same second as the first voids the login between them', async () => {
      const account = await customer(app());
      await app().get(SessionsService).revokeAllForUser(account.id);
      const between = await login(app(), account);
      expect((await me(app(), between.accessToken)).statusCode).toBe(200);
      await app().get(SessionsService).revokeAllForUser(account.id);
      expectInvalidCredentials(await me(app(), between.accessToken));
      expect((await refreshRequest(app(), between.refreshToken)).statusCode).toBe(401);
    });
  });

  describe('suspended account', () => {
    it('cannot log in, and fails exactly like a wrong password', async () => {
      const account = await register(app());
      await app().get(DataSource).getRepository(User).update({ id: account.id }, { status: 'suspended' });
      const suspended = await loginRequest(app(), account.email, account.password);
      const wrong = await loginRequest(app(), (await register(app())).email, 'wrong password!');
      expect(suspended.statusCode).toBe(401);
      const { requestId: _a, ...suspendedBody } = suspended.json<Record<string, unknown>>();
      const { requestId: _b, ...wrongBody } = wrong.json<Record<string, unknown>>();
      expect(suspendedBody).toEqual(wrongBody);
    });
  });

  describe('credentials only in the Authorization header', () => {
    it('ignores a token in the query string or the body', async () => {
      const { tokens } = await customer(app());
      expect((await me(app(), tokens.accessToken)).statusCode).toBe(200);
      expectInvalidCredentials(await app().inject({ method: 'GET', url: `/api/v1/users/me?access_token=${tokens.accessToken}` }), false);
      expectInvalidCredentials(await post('/api/v1/auth/logout', { accessToken: tokens.accessToken, access_token: tokens.accessToken }), false);
    });

    it('refuses a request presenting two credentials', async () => {
      const { tokens } = await customer(app());
      expectInvalidCredentials(
        await app().inject({ method: 'GET', url: '/api/v1/users/me', headers: { ...bearer(tokens.accessToken), 'x-api-key': 'sk_test_x' } }),
      );
    });

    it('refuses two Authorization headers over real HTTP (Node keeps only the first), and two X-Api-Key headers', async () => {
      const [alice, bob] = [await customer(app()), await customer(app())];
      await app().listen({ port: 0, host: '127.0.0.1' });
      const http = new HttpClient((app().getHttpServer().address() as AddressInfo).port);
      try {
        expect((await http.send({ path: '/api/v1/users/me', token: alice.tokens.accessToken })).status).toBe(200);
        const twoBearers = await http.send({
          path: '/api/v1/users/me',
          headers: { authorization: [`Bearer ${alice.tokens.accessToken}`, `Bearer ${bob.tokens.accessToken}`] },
        });
        expect(twoBearers.status).toBe(401);
        expect(twoBearers.text).not.toContain(alice.email);
        const sameTwice = await http.send({
          path: '/api/v1/users/me',
          headers: { authorization: [`Bearer ${alice.tokens.accessToken}`, `Bearer ${alice.tokens.accessToken}`] },
        });
        expect(sameTwice.status).toBe(401);
        expect((await http.send({ path: '/api/v1/users/me', headers: { 'x-api-key': ['sk_test_a', 'sk_test_b'] } })).status).toBe(401);
      } finally {
        http.close();
      }
    });
  });

  it('records audit events for every flow, with no secret in them', async () => {
    const account = await customer(app());
    await loginRequest(app(), account.email, 'wrong password!');
    const next = (await refreshRequest(app(), account.tokens.refreshToken)).json<{ accessToken: string }>();
    await post('/api/v1/auth/password', { currentPassword: account.password, newPassword: 'another new password' }, bearer(next.accessToken));
    const fresh = await login(app(), { email: account.email, password: 'another new password' });
    await post('/api/v1/auth/logout', {}, bearer(fresh.accessToken));

    const events = await app()
      .get(DataSource)
      .getRepository(AuditEvent)
      .find({ where: { targetId: account.id }, order: { at: 'ASC' } });
    expect(events.map((event) => [event.action, event.outcome])).toEqual([
      ['auth.register', 'success'],
      ['auth.login', 'success'],
      ['auth.login', 'failure'],
      ['auth.refresh', 'success'],
      ['auth.password_change', 'success'],
      ['auth.login', 'success'],
      ['auth.logout', 'success'],
    ]);
    for (const event of events) {
      expect(event.ip).toBe('127.0.0.1');
      expect(event.requestId).toEqual(expect.any(String));
    }
    const stored = JSON.stringify(events);
    for (const secret of [account.password, 'another new password', account.tokens.accessToken, account.tokens.refreshToken, fresh.accessToken]) {
      expect(stored).not.toContain(secret);
    }
  });
});
