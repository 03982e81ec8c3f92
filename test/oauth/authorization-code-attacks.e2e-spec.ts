import type { LightMyRequestResponse } from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { basicAuth, serviceClient, tokenRequest } from '../support/api-keys';
import { bearer, register, uniqueEmail } from '../support/auth';
import { AppClient, appClient, authorizeAs, AuthorizeBrowser, authorizeUrl, BrowserAnswer, pkce, startOAuthTestApp } from '../support/oauth-apps';
import { admin, Caller, customer } from '../support/principals';
import { TestApp } from '../support/test-app';

/**
 * The attacks RFC 9700 §4 and RFC 6749 §10 describe against the authorization code flow, each shown failing
 * after the legitimate request is shown working: open redirects, PKCE downgrade, code injection and replay,
 * mix-up, CSRF on the consent, refresh-token replay. The pages are driven over a real socket as a browser would
 * (fetch: cookie, form token, redirects not followed); the token endpoint through the app's inject(), so every
 * answer of it is also checked against openapi.json.
 */
describe('The authorization code flow under attack', () => {
  let testApp: TestApp;
  let origin: string;
  let root: Caller;
  let alice: Caller;
  let spa: AppClient;
  let otherApp: AppClient;
  let webApp: AppClient;
  const CALLBACK = 'https://spa.example/callback';
  const SECOND_CALLBACK = 'https://spa.example/other';

  beforeAll(async () => {
    ({ testApp, origin } = await startOAuthTestApp());
    root = await admin(testApp.app);
    alice = await customer(testApp.app);
    spa = await appClient(testApp.app, root, { type: 'public', redirectUris: [CALLBACK, SECOND_CALLBACK] });
    otherApp = await appClient(testApp.app, root, { type: 'public', redirectUris: [CALLBACK] });
    webApp = await appClient(testApp.app, root, { type: 'confidential', redirectUris: [CALLBACK] });
  });
  afterAll(() => testApp.close());

  interface IssuedCode {
    code: string;
    verifier: string;
    redirectUri: string;
  }

  /** A code for `as`, through the pages, for `client` and the authorization parameters `overrides` change. */
  async function issueCode(client = spa, overrides: Record<string, string> = {}, as: Caller = alice): Promise<IssuedCode> {
    const { verifier, challenge } = pkce();
    const location = await authorizeAs(origin, authorizeUrl(origin, client, challenge, overrides), as);
    return { code: location.searchParams.get('code')!, verifier, redirectUri: overrides.redirect_uri ?? client.redirectUris[0] };
  }

  /** The code's redemption by a public client (its client_id in the body), with `change` to some parameter. */
  const redeem = (issued: IssuedCode, client: AppClient = spa, change: Record<string, string> = {}) =>
    tokenRequest(testApp.app, {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      code: issued.code,
      redirect_uri: issued.redirectUri,
      code_verifier: issued.verifier,
      ...change,
    });

  const refresh = (refreshToken: string, client: AppClient = spa) =>
    tokenRequest(testApp.app, { grant_type: 'refresh_token', client_id: client.clientId, refresh_token: refreshToken });

  const tokensOf = (response: LightMyRequestResponse) => response.json<{ access_token: string; refresh_token: string; scope: string }>();
  const ordersWith = async (accessToken: string) =>
    (await testApp.app.inject({ method: 'GET', url: '/api/v1/orders', headers: bearer(accessToken) })).statusCode;

  function expectOAuthError(response: LightMyRequestResponse, status: number, error: string): void {
    expect({ status: response.statusCode, error: response.json<{ error: string }>().error }).toEqual({ status, error });
  }

  /** A redirect to the client's URI carrying `error`, and `iss` always (RFC 9207 §2). */
  function expectRedirectedError(answer: BrowserAnswer, error: string, state: string | undefined, redirectUri = CALLBACK): void {
    expect(answer.status).toBeGreaterThanOrEqual(302);
    expect(`${answer.location!.origin}${answer.location!.pathname}`).toBe(redirectUri);
    expect(Object.fromEntries(answer.location!.searchParams)).toEqual({
      error,
      error_description: expect.any(String),
      ...(state !== undefined && { state }),
      iss: origin,
    });
  }

  describe('the authorization request (GET /oauth/authorize)', () => {
    it('works when every parameter is right: the sign-in page, naming the app', async () => {
      const answer = await new AuthorizeBrowser(origin).open(authorizeUrl(origin, spa, pkce().challenge));
      expect(answer.status).toBe(200);
      expect(answer.html).toContain('Order tracker asks to use your account');
    });

    it.each([
      ['an unknown client_id', { client_id: 'app.AAAAAAAAAAAAAAAAAAAAAA' }],
      ['no client_id', { client_id: undefined }],
      ['a redirect_uri with an extra path', { redirect_uri: `${CALLBACK}/more` }],
      ['a redirect_uri with an extra query', { redirect_uri: `${CALLBACK}?next=https://evil.example` }],
      ['a redirect_uri with a trailing slash', { redirect_uri: `${CALLBACK}/` }],
      ['a redirect_uri on another port', { redirect_uri: 'https://spa.example:8443/callback' }],
      ['another app’s host', { redirect_uri: 'https://evil.example/callback' }],
      ['no redirect_uri', { redirect_uri: undefined }],
    ])('shows an error page and never redirects for %s (RFC 6749 §4.1.2.1)', async (_name, overrides) => {
      const answer = await new AuthorizeBrowser(origin).open(authorizeUrl(origin, spa, pkce().challenge, overrides));
      expect({ status: answer.status, location: answer.headers.get('location'), type: answer.headers.get('content-type') }).toEqual({
        status: 400,
        location: null,
        type: 'text/html; charset=utf-8',
      });
      expect(answer.html).toContain('This request cannot be answered');
    });

    it('shows an error page for a service client’s client_id: only apps have users authorize them', async () => {
      const service = await serviceClient(testApp.app, root, ['orders:read']);
      const answer = await new AuthorizeBrowser(origin).open(authorizeUrl(origin, { clientId: service.clientId, redirectUris: [CALLBACK] }, pkce().challenge));
      expect({ status: answer.status, location: answer.headers.get('location') }).toEqual({ status: 400, location: null });
    });

    it.each([
      ['a PKCE downgrade to plain', { code_challenge_method: 'plain' }, 'invalid_request'],
      ['no code_challenge_method (plain by default)', { code_challenge_method: undefined }, 'invalid_request'],
      ['no code_challenge', { code_challenge: undefined }, 'invalid_request'],
      ['a scope beyond the client’s', { scope: 'orders:read orders:fulfil' }, 'invalid_scope'],
      ['the implicit grant', { response_type: 'token' }, 'unsupported_response_type'],
    ])('sends %s back to the client with error, state and iss', async (_name, overrides, error) => {
      const answer = await new AuthorizeBrowser(origin).open(authorizeUrl(origin, spa, pkce().challenge, { ...overrides, state: 'st-1' }));
      expect(answer.status).toBe(302);
      expectRedirectedError(answer, error, 'st-1');
    });

    it('refuses a request without state: error and iss, and no state to echo', async () => {
      const answer = await new AuthorizeBrowser(origin).open(authorizeUrl(origin, spa, pkce().challenge, { state: undefined }));
      expect(answer.status).toBe(302);
      expectRedirectedError(answer, 'invalid_request', undefined);
    });

    it('serves a page nobody can frame or script, never cached, its cookie HttpOnly and SameSite=Strict', async () => {
      const answer = await new AuthorizeBrowser(origin).open(authorizeUrl(origin, spa, pkce().challenge));
      expect(answer.headers.get('content-security-policy')).toBe(
        "default-src 'none'; form-action 'self' https://spa.example; base-uri 'none'; frame-ancestors 'none'",
      );
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.html).not.toMatch(/<script|<style| on\w+=/i);
      // Secure is added in production only (every request is https there); plain http here.
      expect(answer.headers.getSetCookie()[0]).toMatch(/^oauth_request=[A-Za-z0-9_-]{43}; Path=\/oauth\/authorize; Max-Age=600; HttpOnly; SameSite=Strict$/);
    });
  });

  describe('sign-in and consent', () => {
    it('answers a wrong password, an unknown email and a suspended account with the same 401 page', async () => {
      const browser = new AuthorizeBrowser(origin);
      await browser.open(authorizeUrl(origin, spa, pkce().challenge));
      const suspended = await customer(testApp.app);
      await testApp.app.get(DataSource).query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [suspended.id]);
      const wrongPassword = await browser.signIn({ email: alice.email, password: 'not the password at all' });
      const unknownEmail = await browser.signIn({ email: uniqueEmail('nobody'), password: 'not the password at all' });
      const suspendedAccount = await browser.signIn(suspended);
      expect([wrongPassword.status, unknownEmail.status, suspendedAccount.status]).toEqual([401, 401, 401]);
      expect(new Set([wrongPassword.html, unknownEmail.html, suspendedAccount.html]).size).toBe(1);
      expect(wrongPassword.html).toContain('Invalid email or password.');
    });

    it('takes no form once the request’s 10 minutes are over', async () => {
      const browser = new AuthorizeBrowser(origin);
      await browser.open(authorizeUrl(origin, spa, pkce().challenge));
      await testApp.app
        .get(DataSource)
        .query(`UPDATE authorization_requests SET expires_at = now() - interval '1 second' WHERE id = $1`, [browser.form!.request]);
      expect((await browser.signIn(alice)).status).toBe(403);
    });

    it('counts sign-ins under the login limits: past five failures for one email, 429', async () => {
      const browser = new AuthorizeBrowser(origin);
      await browser.open(authorizeUrl(origin, spa, pkce().challenge));
      const target = { email: uniqueEmail('guessed'), password: 'a guess of a password' };
      const statuses = [];
      for (let attempt = 0; attempt < 6; attempt++) statuses.push((await browser.signIn(target)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      const limited = await browser.signIn(target);
      expect({ type: limited.headers.get('content-type'), retryAfter: Number(limited.headers.get('retry-after')) > 0 }).toEqual({
        type: 'text/html; charset=utf-8',
        retryAfter: true,
      });
    });

    it('refuses a sign-in form without the browser’s cookie, or with a token that is not its own (CSRF)', async () => {
      const browser = new AuthorizeBrowser(origin);
      await browser.open(authorizeUrl(origin, spa, pkce().challenge));
      const attacker = new AuthorizeBrowser(origin);
      await attacker.open(authorizeUrl(origin, spa, pkce().challenge));
      const credentials = { email: alice.email, password: alice.password };
      const refusals = [
        await browser.post('/oauth/authorize/login', credentials, { cookie: '' }),
        await browser.post('/oauth/authorize/login', credentials, { form: { ...browser.form!, csrf: randomBytes(32).toString('base64url') } }),
        await browser.post('/oauth/authorize/login', credentials, { cookie: attacker.cookie }),
        await attacker.post('/oauth/authorize/login', credentials, { form: browser.form }),
      ];
      expect(refusals.map((answer) => answer.status)).toEqual([403, 403, 403, 403]);
      expect((await browser.post('/oauth/authorize/login', credentials, { form: { request: browser.form!.request } })).status).toBe(400);
      // None of that spent the request: its own browser still signs in.
      expect((await browser.signIn(alice)).status).toBe(200);
    });

    it('refuses a consent form without the cookie, or with the token from before the sign-in (a new one was issued)', async () => {
      const browser = new AuthorizeBrowser(origin);
      await browser.open(authorizeUrl(origin, spa, pkce().challenge, { scope: 'orders:read orders:write' }));
      const beforeSignIn = { cookie: browser.cookie, form: browser.form };
      const bob = await customer(testApp.app);
      expect((await browser.signIn(bob)).status).toBe(200);
      expect(browser.form!.csrf).not.toBe(beforeSignIn.form!.csrf);
      const refusals = [
        await browser.post('/oauth/authorize/consent', { decision: 'allow' }, { cookie: '' }),
        await browser.post('/oauth/authorize/consent', { decision: 'allow' }, beforeSignIn),
      ];
      expect(refusals.map((answer) => answer.status)).toEqual([403, 403]);
      expect(refusals.map((answer) => answer.headers.get('location'))).toEqual([null, null]);
      const allowed = await browser.decide('allow');
      expect(allowed.status).toBe(303);
      const { code, ...rest } = Object.fromEntries(allowed.location!.searchParams);
      expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect({ at: `${allowed.location!.origin}${allowed.location!.pathname}`, ...rest }).toEqual({ at: CALLBACK, state: expect.any(String), iss: origin });
      // Decided once: the same form again is refused.
      expect((await browser.decide('allow')).status).toBe(403);
    });

    it('sends access_denied with state and iss when the user denies', async () => {
      const browser = new AuthorizeBrowser(origin);
      await browser.open(authorizeUrl(origin, spa, pkce().challenge, { state: 'st-deny', scope: 'orders:read orders:write' }));
      await browser.signIn(await customer(testApp.app));
      const denied = await browser.decide('deny');
      expect(denied.status).toBe(303);
      expectRedirectedError(denied, 'access_denied', 'st-deny');
    });

    it('offers an unverified account no Allow for orders:write, refuses a forged one, and offers it for orders:read', async () => {
      const unverified = await register(testApp.app, {}, { verified: false });
      const writing = new AuthorizeBrowser(origin);
      await writing.open(authorizeUrl(origin, spa, pkce().challenge, { scope: 'orders:read orders:write' }));
      const page = await writing.signIn(unverified);
      expect(page.status).toBe(200);
      expect(page.html).not.toContain('value="allow"');
      expect(page.html).toContain('Verify your e-mail address first');
      const forged = await writing.decide('allow');
      expect({ status: forged.status, location: forged.headers.get('location') }).toEqual({ status: 403, location: null });
      const reading = new AuthorizeBrowser(origin);
      await reading.open(authorizeUrl(origin, spa, pkce().challenge, { scope: 'orders:read' }));
      expect((await reading.signIn(unverified)).html).toContain('value="allow"');
      expect((await reading.decide('allow')).status).toBe(303);
    });

    it('audits every step, from the request to the token', async () => {
      const app = await appClient(testApp.app, root, { type: 'public', redirectUris: [CALLBACK] });
      expect((await redeem(await issueCode(app), app)).statusCode).toBe(200);
      const events = await testApp.app
        .get(DataSource)
        .query<Array<{ action: string; outcome: string }>>(
          `SELECT action, outcome FROM audit_events WHERE target_id = $1 AND action LIKE 'oauth.%' ORDER BY at, id`,
          [app.id],
        );
      expect(events.map(({ action, outcome }) => `${action} ${outcome}`).sort()).toEqual(
        ['oauth.authorize success', 'oauth.consent success', 'oauth.login success', 'oauth.token success'].sort(),
      );
    });
  });

  describe('the code at the token endpoint (grant_type=authorization_code)', () => {
    it('is redeemed once: a second use fails and revokes the tokens of the first (RFC 6749 §4.1.2)', async () => {
      const issued = await issueCode();
      const first = await redeem(issued);
      expect(first.statusCode).toBe(200);
      const tokens = tokensOf(first);
      expect(await ordersWith(tokens.access_token)).toBe(200);
      expectOAuthError(await redeem(issued), 400, 'invalid_grant');
      expect(await ordersWith(tokens.access_token)).toBe(401);
      expectOAuthError(await refresh(tokens.refresh_token), 400, 'invalid_grant');
    });

    it('needs the verifier (invalid_request), and the right one (invalid_grant); a wrong one does not use the code up', async () => {
      const issued = await issueCode();
      expectOAuthError(
        await tokenRequest(testApp.app, { grant_type: 'authorization_code', client_id: spa.clientId, code: issued.code, redirect_uri: issued.redirectUri }),
        400,
        'invalid_request',
      );
      expectOAuthError(await redeem(issued, spa, { code_verifier: pkce().verifier }), 400, 'invalid_grant');
      expect((await redeem(issued)).statusCode).toBe(200);
    });

    it('is bound to its client and its redirect URI (code injection): another client or URI fails, without using it up', async () => {
      const issued = await issueCode();
      expectOAuthError(await redeem(issued, otherApp), 400, 'invalid_grant');
      expectOAuthError(await redeem(issued, spa, { redirect_uri: SECOND_CALLBACK }), 400, 'invalid_grant');
      expect((await redeem(issued)).statusCode).toBe(200);
    });

    it('expires: a code past its 60 seconds is refused', async () => {
      const issued = await issueCode();
      const codeHash = createHash('sha256').update(issued.code).digest('hex');
      await testApp.app
        .get(DataSource)
        .query(`UPDATE authorization_requests SET code_expires_at = now() - interval '1 second' WHERE code_hash = $1`, [codeHash]);
      expectOAuthError(await redeem(issued), 400, 'invalid_grant');
    });

    it('lives at most 60 seconds from its issue', async () => {
      const issued = await issueCode();
      const [{ seconds }] = await testApp.app
        .get(DataSource)
        .query<Array<{ seconds: number }>>(
          `SELECT extract(epoch FROM code_expires_at - decided_at)::int AS seconds FROM authorization_requests WHERE code_hash = $1`,
          [createHash('sha256').update(issued.code).digest('hex')],
        );
      expect(seconds).toBe(60);
    });

    it('is redeemed by a confidential app only with its secret; a public app cannot bring one', async () => {
      const confidential = await issueCode(webApp);
      const withoutSecret = await redeem(confidential, webApp);
      expectOAuthError(withoutSecret, 401, 'invalid_client');
      const withSecret = await tokenRequest(
        testApp.app,
        { grant_type: 'authorization_code', code: confidential.code, redirect_uri: confidential.redirectUri, code_verifier: confidential.verifier },
        basicAuth(webApp.clientId, webApp.clientSecret!),
      );
      expect(withSecret.statusCode).toBe(200);
      expectOAuthError(await redeem(await issueCode(), spa, { client_secret: 'made-up' }), 401, 'invalid_client');
    });

    it('is no grant for client credentials: an app asking for them is unauthorized_client', async () => {
      expectOAuthError(
        await tokenRequest(testApp.app, { grant_type: 'client_credentials' }, basicAuth(webApp.clientId, webApp.clientSecret!)),
        400,
        'unauthorized_client',
      );
    });
  });

  describe('an app’s refresh tokens', () => {
    it('rotate, and one reused after its rotation revokes the whole family (RFC 9700 §4.14.2)', async () => {
      const first = tokensOf(await redeem(await issueCode()));
      // A scope on a refresh is ignored (RFC 6749 §3.3): the new token carries what the user granted, no more.
      const rotated = await tokenRequest(testApp.app, {
        grant_type: 'refresh_token',
        client_id: spa.clientId,
        refresh_token: first.refresh_token,
        scope: 'orders:read orders:write',
      });
      expect(rotated.statusCode).toBe(200);
      const second = tokensOf(rotated);
      expect(second.scope).toBe('orders:read');
      expectOAuthError(await refresh(first.refresh_token), 400, 'invalid_grant');
      expectOAuthError(await refresh(second.refresh_token), 400, 'invalid_grant');
      expect(await ordersWith(second.access_token)).toBe(401);
    });

    it('are bound to their app: another app presenting one fails, without using it up', async () => {
      const tokens = tokensOf(await redeem(await issueCode()));
      expectOAuthError(await refresh(tokens.refresh_token, otherApp), 400, 'invalid_grant');
      expect((await refresh(tokens.refresh_token)).statusCode).toBe(200);
    });

    it('are not the user’s own sessions: POST /auth/refresh refuses an app’s, the token endpoint a login’s', async () => {
      const tokens = tokensOf(await redeem(await issueCode()));
      const bob = await customer(testApp.app);
      expect((await testApp.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: tokens.refresh_token } })).statusCode).toBe(401);
      expectOAuthError(await refresh(bob.tokens.refreshToken), 400, 'invalid_grant');
      // Neither was used up by the other side's refusal.
      expect((await refresh(tokens.refresh_token)).statusCode).toBe(200);
      expect((await testApp.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: bob.tokens.refreshToken } })).statusCode).toBe(
        200,
      );
    });
  });

  describe('the user stays in control', () => {
    it('sees no app’s family among their own sessions', async () => {
      const bob = await customer(testApp.app);
      expect((await redeem(await issueCode(spa, {}, bob))).statusCode).toBe(200);
      const sessions = await testApp.app.inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: bob.headers });
      expect(sessions.json<{ page: { total: number } }>().page.total).toBe(1);
    });

    it.each([
      ['“sign out everywhere”', () => ({ url: '/api/v1/auth/sessions/revoke-all', payload: {} })],
      [
        'a password change',
        (bob: Caller) => ({ url: '/api/v1/auth/password', payload: { currentPassword: bob.password, newPassword: 'a brand new password here' } }),
      ],
      ['a suspension by an admin', (bob: Caller) => ({ url: `/api/v1/users/${bob.id}/suspend`, payload: {}, headers: root.headers })],
    ])('ends the apps’ tokens with %s', async (_name, change) => {
      const bob = await customer(testApp.app);
      const tokens = tokensOf(await redeem(await issueCode(spa, {}, bob)));
      expect((await testApp.app.inject({ method: 'POST', headers: bob.headers, ...change(bob) })).statusCode).toBe(204);
      expect(await ordersWith(tokens.access_token)).toBe(401);
      expectOAuthError(await refresh(tokens.refresh_token), 400, 'invalid_grant');
    });
  });

  it('dies with its app: deleting the app ends its users’ access and refresh tokens at once, and its authorization requests', async () => {
    const doomed = await appClient(testApp.app, root, { type: 'public', redirectUris: [CALLBACK] });
    const tokens = tokensOf(await redeem(await issueCode(doomed), doomed));
    expect(await ordersWith(tokens.access_token)).toBe(200);
    expect((await testApp.app.inject({ method: 'DELETE', url: `/api/v1/oauth/clients/${doomed.id}`, headers: root.headers })).statusCode).toBe(204);
    expect(await ordersWith(tokens.access_token)).toBe(401);
    expectOAuthError(await refresh(tokens.refresh_token, doomed), 401, 'invalid_client');
    expect((await new AuthorizeBrowser(origin).open(authorizeUrl(origin, doomed, pkce().challenge))).status).toBe(400);
  });
});
