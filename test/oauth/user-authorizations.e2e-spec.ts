import type { LightMyRequestResponse } from 'fastify';
import { DataSource } from 'typeorm';
import { RevocationStoreUnavailableError } from '../../src/auth/revocation/revocation-store';
import { Revocations } from '../../src/auth/revocation/revocations';
import { tokenRequest, withApiKey } from '../support/api-keys';
import { bearer, login } from '../support/auth';
import { lastMail, linkIn, SUBJECTS } from '../support/mailbox';
import { AppClient, appClient, AuthorizeBrowser, authorizeAs, authorizeUrl, pkce, startOAuthTestApp } from '../support/oauth-apps';
import { admin, Caller, customer } from '../support/principals';
import { TestApp } from '../support/test-app';

const CALLBACK = 'https://spa.example/callback';
const AUTHORIZATIONS = '/api/v1/users/me/authorizations';

interface AppTokens {
  access_token: string;
  refresh_token: string;
}

interface Authorization {
  clientId: string;
  name: string;
  scopes: string[];
  grantedAt: string;
  lastUsedAt: string | null;
}

/**
 * docs/http-contract.md, Delegated authorization: "the user stays in control". A user lists the apps they
 * authorized and withdraws one: its consent is forgotten and every token of that app for that user stops
 * working at once, while their other apps and their own login go on. Nobody else sees or withdraws it, and no app
 * or API key may do either. The code flow runs through the pages over a real socket, as a browser would.
 */
describe('The apps a user authorized: listed, and withdrawn', () => {
  let testApp: TestApp;
  let origin: string;
  let root: Caller;
  let spa: AppClient;
  let tracker: AppClient;

  beforeAll(async () => {
    ({ testApp, origin } = await startOAuthTestApp());
    root = await admin(testApp.app);
    spa = await appClient(testApp.app, root, { name: 'Storefront SPA', type: 'public', redirectUris: [CALLBACK] });
    tracker = await appClient(testApp.app, root, { name: 'Order tracker', type: 'public', redirectUris: [CALLBACK], scopes: ['orders:read'] });
  });
  afterAll(() => testApp.close());

  /** A code through the pages (signed in as `as`, allowing if asked), for the app's first redirect URI. */
  async function issueCode(app: AppClient, as: Caller, scope = 'orders:read') {
    const { verifier, challenge } = pkce();
    const location = await authorizeAs(origin, authorizeUrl(origin, app, challenge, { scope }), as);
    return { code: location.searchParams.get('code')!, verifier };
  }

  const redeem = (app: AppClient, issued: { code: string; verifier: string }) =>
    tokenRequest(testApp.app, {
      grant_type: 'authorization_code',
      client_id: app.clientId,
      code: issued.code,
      redirect_uri: CALLBACK,
      code_verifier: issued.verifier,
    });

  /** The full code flow: the app's tokens for `as`. */
  async function authorize(app: AppClient, as: Caller, scope?: string): Promise<AppTokens> {
    const response = await redeem(app, await issueCode(app, as, scope));
    if (response.statusCode !== 200) throw new Error(`the code exchange answered ${response.statusCode}: ${response.body}`);
    return response.json<AppTokens>();
  }

  const refresh = (app: AppClient, refreshToken: string) =>
    tokenRequest(testApp.app, { grant_type: 'refresh_token', client_id: app.clientId, refresh_token: refreshToken });
  const ordersWith = async (headers: Record<string, string>) => (await testApp.app.inject({ method: 'GET', url: '/api/v1/orders', headers })).statusCode;
  const list = (headers: Record<string, string>) => testApp.app.inject({ method: 'GET', url: AUTHORIZATIONS, headers });
  const listed = async (caller: Caller) => (await list(caller.headers)).json<{ data: Authorization[]; page: { total: number } }>();
  const withdraw = (headers: Record<string, string>, clientId: string) =>
    testApp.app.inject({ method: 'DELETE', url: `${AUTHORIZATIONS}/${clientId}`, headers });
  const oauthError = (response: LightMyRequestResponse) => ({ status: response.statusCode, error: response.json<{ error?: string }>().error });
  const INVALID_GRANT = { status: 400, error: 'invalid_grant' };

  /** Whether the consent page shows (the consent is not remembered) or the code comes at once. */
  async function consentAsked(app: AppClient, as: Caller): Promise<boolean> {
    const browser = new AuthorizeBrowser(origin);
    await browser.open(authorizeUrl(origin, app, pkce().challenge));
    return (await browser.signIn(as)).status === 200;
  }

  it('lists each app the user granted: its public client_id, name, scopes, when granted and when it last got tokens', async () => {
    const alice = await customer(testApp.app);
    expect(await listed(alice)).toEqual({ data: [], page: { limit: 20, offset: 0, total: 0 } });
    const spaTokens = await authorize(spa, alice, 'orders:read orders:write');
    await authorize(tracker, alice);
    const page = await listed(alice);
    expect(page).toEqual({
      data: [
        { clientId: tracker.clientId, name: 'Order tracker', scopes: ['orders:read'], grantedAt: expect.any(String), lastUsedAt: expect.any(String) },
        {
          clientId: spa.clientId,
          name: 'Storefront SPA',
          scopes: ['orders:read', 'orders:write'],
          grantedAt: expect.any(String),
          lastUsedAt: expect.any(String),
        },
      ],
      page: { limit: 20, offset: 0, total: 2 },
    });
    // Newest grant first; a token is issued after the grant it follows from.
    const [trackerGrant, spaGrant] = page.data;
    expect(Date.parse(trackerGrant.grantedAt)).toBeGreaterThanOrEqual(Date.parse(spaGrant.grantedAt));
    expect(Date.parse(spaGrant.lastUsedAt!)).toBeGreaterThanOrEqual(Date.parse(spaGrant.grantedAt));
    // A refresh issues a token: lastUsedAt moves on.
    expect((await refresh(spa, spaTokens.refresh_token)).statusCode).toBe(200);
    const afterRefresh = (await listed(alice)).data.find((grant) => grant.clientId === spa.clientId)!;
    expect(Date.parse(afterRefresh.lastUsedAt!)).toBeGreaterThan(Date.parse(spaGrant.lastUsedAt!));
    // The registry's own ids are not the user's business: only public client_ids.
    expect((await list(alice.headers)).body).not.toContain(spa.id);
  });

  it('lists a consent given without tokens yet with lastUsedAt null, pages, and leaves out a deleted app', async () => {
    const bob = await customer(testApp.app);
    const doomed = await appClient(testApp.app, root, { name: 'Doomed app', type: 'public', redirectUris: [CALLBACK] });
    await issueCode(doomed, bob);
    await issueCode(spa, bob);
    const page = await testApp.app.inject({ method: 'GET', url: `${AUTHORIZATIONS}?limit=1`, headers: bob.headers });
    expect(page.json()).toEqual({
      data: [{ clientId: spa.clientId, name: 'Storefront SPA', scopes: ['orders:read'], grantedAt: expect.any(String), lastUsedAt: null }],
      page: { limit: 1, offset: 0, total: 2 },
    });
    expect((await testApp.app.inject({ method: 'DELETE', url: `/api/v1/oauth/clients/${doomed.id}`, headers: root.headers })).statusCode).toBe(204);
    expect((await listed(bob)).data.map((grant) => grant.clientId)).toEqual([spa.clientId]);
    expect((await withdraw(bob.headers, doomed.clientId)).statusCode).toBe(404);
  });

  describe('withdrawing one app', () => {
    let carol: Caller;
    let spaTokens: AppTokens;
    let secondSpaTokens: AppTokens;
    let trackerTokens: AppTokens;
    let answer: LightMyRequestResponse;

    beforeAll(async () => {
      carol = await customer(testApp.app);
      spaTokens = await authorize(spa, carol, 'orders:read orders:write');
      trackerTokens = await authorize(tracker, carol);
      // A second family of the same app: a withdrawal ends them all.
      secondSpaTokens = await authorize(spa, carol);
      expect(await ordersWith(bearer(spaTokens.access_token))).toBe(200);
      answer = await withdraw(carol.headers, spa.clientId);
    });

    it('answers 204 and ends the app’s access tokens (401) and refresh tokens (invalid_grant) at once, in every family', async () => {
      expect({ status: answer.statusCode, body: answer.body }).toEqual({ status: 204, body: '' });
      for (const tokens of [spaTokens, secondSpaTokens]) {
        expect(await ordersWith(bearer(tokens.access_token))).toBe(401);
        expect(oauthError(await refresh(spa, tokens.refresh_token))).toEqual(INVALID_GRANT);
      }
    });

    it('leaves the other app’s tokens and the user’s own login working', async () => {
      expect(await ordersWith(bearer(trackerTokens.access_token))).toBe(200);
      expect((await refresh(tracker, trackerTokens.refresh_token)).statusCode).toBe(200);
      expect(await ordersWith(carol.headers)).toBe(200);
      expect((await login(testApp.app, carol)).accessToken).toEqual(expect.any(String));
    });

    it('forgets it: no longer listed, a second withdrawal is 404, and authorizing it again asks for consent again', async () => {
      expect((await listed(carol)).data.map((grant) => grant.clientId)).toEqual([tracker.clientId]);
      const again = await withdraw(carol.headers, spa.clientId);
      expect({ status: again.statusCode, detail: again.json<{ detail: string }>().detail }).toEqual({ status: 404, detail: 'Authorization not found' });
      expect(await consentAsked(tracker, carol)).toBe(false);
      expect(await consentAsked(spa, carol)).toBe(true);
    });

    it('is audited, with the user as actor and the app as target, and no token', async () => {
      const events = await testApp.app
        .get(DataSource)
        .query<Array<Record<string, unknown>>>(`SELECT * FROM audit_events WHERE action = 'oauth.authorization_revoke' AND actor_id = $1`, [carol.id]);
      expect(events.map(({ actor_type, target_type, target_id, outcome }) => ({ actor_type, target_type, target_id, outcome }))).toEqual([
        { actor_type: 'user', target_type: 'app_client', target_id: spa.id, outcome: 'success' },
      ]);
      const recorded = JSON.stringify(events);
      for (const token of [spaTokens.access_token, spaTokens.refresh_token, carol.tokens.accessToken]) expect(recorded).not.toContain(token);
    });
  });

  it('voids a code issued before the withdrawal: redeemed after it, invalid_grant', async () => {
    const dave = await customer(testApp.app);
    const issued = await issueCode(spa, dave);
    expect((await withdraw(dave.headers, spa.clientId)).statusCode).toBe(204);
    expect(oauthError(await redeem(spa, issued))).toEqual(INVALID_GRANT);
  });

  it('keeps that code void when the user authorizes the app again within its 60 seconds', async () => {
    const erin = await customer(testApp.app);
    const issued = await issueCode(spa, erin);
    expect((await withdraw(erin.headers, spa.clientId)).statusCode).toBe(204);
    const fresh = await issueCode(spa, erin);
    expect(oauthError(await redeem(spa, issued))).toEqual(INVALID_GRANT);
    expect((await redeem(spa, fresh)).statusCode).toBe(200);
  });

  it('fails closed: when the revocation store cannot be written, 503 and nothing withdrawn, until a retry succeeds', async () => {
    const grace = await customer(testApp.app);
    const tokens = await authorize(spa, grace);
    const store = jest.spyOn(testApp.app.get(Revocations), 'revokeTokens').mockRejectedValueOnce(new RevocationStoreUnavailableError(new Error('down')));
    try {
      const refused = await withdraw(grace.headers, spa.clientId);
      expect({ status: refused.statusCode, retryAfter: refused.headers['retry-after'] }).toEqual({ status: 503, retryAfter: expect.any(String) });
    } finally {
      store.mockRestore();
    }
    // Rolled back: still listed, and its refresh token still works (the consent was never gone while a token lived).
    expect((await listed(grace)).data.map((grant) => grant.clientId)).toEqual([spa.clientId]);
    const rotated = await refresh(spa, tokens.refresh_token);
    expect(rotated.statusCode).toBe(200);
    expect((await withdraw(grace.headers, spa.clientId)).statusCode).toBe(204);
    expect(await ordersWith(bearer(rotated.json<AppTokens>().access_token))).toBe(401);
  });

  it('is the user’s alone: another user sees none of it and gets 404 withdrawing it, and it keeps working', async () => {
    const erin = await customer(testApp.app);
    const mallory = await customer(testApp.app);
    const tokens = await authorize(spa, erin);
    expect(await listed(mallory)).toEqual({ data: [], page: { limit: 20, offset: 0, total: 0 } });
    const stolen = await withdraw(mallory.headers, spa.clientId);
    expect({ status: stolen.statusCode, detail: stolen.json<{ detail: string }>().detail }).toEqual({ status: 404, detail: 'Authorization not found' });
    expect(await ordersWith(bearer(tokens.access_token))).toBe(200);
    expect((await listed(erin)).data.map((grant) => grant.clientId)).toEqual([spa.clientId]);
  });

  it('refuses an app’s token and an API key with 403 on both routes: only the user withdraws or lists grants', async () => {
    const frank = await customer(testApp.app);
    const tokens = await authorize(spa, frank);
    const withKey = await withApiKey(testApp.app, frank);
    const statuses = [];
    for (const headers of [bearer(tokens.access_token), withKey.headers]) {
      statuses.push((await list(headers)).statusCode, (await withdraw(headers, spa.clientId)).statusCode);
    }
    expect(statuses).toEqual([403, 403, 403, 403]);
    expect(await ordersWith(bearer(tokens.access_token))).toBe(200);
  });

  it.each([
    ['not an app client_id', 'not-an-app'],
    ['one character short', `app.${'A'.repeat(21)}`],
    ['the registry id (a UUID) instead of the public client_id', '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b'],
  ])('answers 400 for a malformed client id: %s', async (_name, clientId) => {
    const answer = await withdraw(root.headers, clientId);
    expect({ status: answer.statusCode, detail: answer.json<{ detail: string }>().detail }).toEqual({
      status: 400,
      detail: 'Validation failed (an app client_id is expected)',
    });
  });

  it('answers 404 for a well-formed client id of no app', async () => {
    expect((await withdraw(root.headers, `app.${'A'.repeat(22)}`)).statusCode).toBe(404);
  });

  describe('a password change or reset ends the apps’ tokens too', () => {
    it.each([
      [
        'a password change',
        (user: Caller) =>
          testApp.app.inject({
            method: 'POST',
            url: '/api/v1/auth/password',
            headers: user.headers,
            payload: { currentPassword: user.password, newPassword: 'a brand new password here' },
          }),
      ],
      [
        'a password reset through the mailed link',
        async (user: Caller) => {
          await testApp.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: user.email } });
          const { token } = linkIn((await lastMail(testApp.app, user.email, SUBJECTS.reset)).text);
          return testApp.app.inject({
            method: 'POST',
            url: '/api/v1/auth/password-reset/confirm',
            payload: { token, newPassword: 'a brand new password here' },
          });
        },
      ],
    ])('%s', async (_name, change) => {
      const user = await customer(testApp.app);
      const tokens = await authorize(spa, user);
      expect(await ordersWith(bearer(tokens.access_token))).toBe(200);
      expect((await change(user)).statusCode).toBe(204);
      expect(await ordersWith(bearer(tokens.access_token))).toBe(401);
      expect(oauthError(await refresh(spa, tokens.refresh_token))).toEqual(INVALID_GRANT);
    });
  });
});
