import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { DataSource } from 'typeorm';
import { TOKEN_AUDIENCE } from '../../src/auth/token.constants';
import { bearer } from '../support/auth';
import { insertProduct } from '../support/fixtures';
import { AppClient, appClient, AuthorizeBrowser, authorizeAs } from '../support/oauth-apps';
import { discover as discoverApp, libraryCodeFlow, startIssuer } from '../support/oauth-libraries';
import { admin, Caller, customer } from '../support/principals';
import type { TestApp } from '../support/test-app';

/**
 * The authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636, RFC 9207) as certified client libraries run
 * it, over a real loopback socket: openid-client discovers the server from its RFC 8414 metadata, builds the
 * authorization request, checks the redirect (state, iss) and redeems the code, for a public and a confidential
 * app; the browser steps in between (sign-in, consent) are plain fetch with the endpoint's cookie and form
 * token. oauth4webapi validates the access token as an RFC 9068 resource server would.
 *
 * The issuer is plain http on loopback, so each library is given its documented option for that (test/support/oauth-libraries.ts).
 */
describe('The authorization code flow with real client libraries (RFC 6749 §4.1, RFC 7636, RFC 9207, RFC 9068)', () => {
  let testApp: TestApp;
  let issuer: string;
  let root: Caller;
  let alice: Caller;
  let spa: AppClient;
  let webApp: AppClient;
  const REDIRECT_URI = 'http://127.0.0.1:9/callback';

  beforeAll(async () => {
    ({ testApp, issuer } = await startIssuer());
    root = await admin(testApp.app);
    alice = await customer(testApp.app);
    spa = await appClient(testApp.app, root, { name: 'Storefront SPA', type: 'public', redirectUris: [REDIRECT_URI] });
    webApp = await appClient(testApp.app, root, { name: 'Order tracker', type: 'confidential', redirectUris: [REDIRECT_URI], scopes: ['orders:read'] });
  });
  afterAll(() => testApp.close());

  const discover = (app: AppClient, auth: client.ClientAuth) => discoverApp(issuer, app, auth);
  const codeFlow = (config: client.Configuration, scope: string, account: Caller = alice) =>
    libraryCodeFlow(issuer, config, { redirectUri: REDIRECT_URI, scope, account });

  it('publishes the authorization endpoint, the code flow and its rules in the RFC 8414 metadata', async () => {
    const metadata = (await discover(spa, client.None())).serverMetadata();
    expect(metadata).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
      authorization_response_iss_parameter_supported: true,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    });
  });

  describe('a public app (no secret: PKCE alone binds the code to it)', () => {
    let tokens: client.TokenEndpointResponse;
    beforeAll(async () => {
      tokens = await codeFlow(await discover(spa, client.None()), 'orders:read orders:write');
    });

    it('gets an access token and a refresh token for the scopes granted', () => {
      expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: 'orders:read orders:write' });
      expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('whose access token oauth4webapi validates (RFC 9068 §4): the user as sub, the app as client_id', async () => {
      const url = new URL(issuer);
      const authorizationServer = await oauth.processDiscoveryResponse(
        url,
        await oauth.discoveryRequest(url, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
      );
      const request = new Request(`${issuer}/api/v1/orders`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      const claims = await oauth.validateJwtAccessToken(authorizationServer, request, TOKEN_AUDIENCE, { [oauth.allowInsecureRequests]: true });
      expect(claims).toMatchObject({ iss: issuer, aud: TOKEN_AUDIENCE, sub: `user:${alice.id}`, client_id: spa.clientId, scope: 'orders:read orders:write' });
      expect(claims).not.toHaveProperty('role');
    });

    it('that places and reads the user’s orders, and cannot touch the account (no key, no profile, no sessions)', async () => {
      const headers = bearer(tokens.access_token);
      const product = await insertProduct(testApp.app.get(DataSource));
      const placed = await testApp.app.inject({ method: 'POST', url: '/api/v1/orders', headers, payload: { items: [{ productId: product.id, quantity: 1 }] } });
      expect(placed.statusCode).toBe(201);
      const listed = await testApp.app.inject({ method: 'GET', url: '/api/v1/orders', headers: alice.headers });
      expect(listed.json<{ data: Array<{ id: string }> }>().data.map((order) => order.id)).toContain(placed.json<{ id: string }>().id);
      const refusals = await Promise.all(
        [
          { method: 'POST', url: '/api/v1/api-keys', payload: { name: 'stolen' } },
          { method: 'GET', url: '/api/v1/users/me' },
          { method: 'GET', url: '/api/v1/auth/sessions' },
          { method: 'POST', url: '/api/v1/auth/sessions/revoke-all' },
        ].map(async (request) => (await testApp.app.inject({ ...(request as { method: 'GET'; url: string }), headers })).statusCode),
      );
      expect(refusals).toEqual([403, 403, 403, 403]);
      // The same routes with the user's own token work: the 403s are about the app, not the user.
      expect((await testApp.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: alice.headers })).statusCode).toBe(200);
    });

    it('refreshes through openid-client, the refresh token rotating', async () => {
      const refreshed = await client.refreshTokenGrant(await discover(spa, client.None()), tokens.refresh_token!);
      expect(refreshed).toMatchObject({ token_type: 'bearer', scope: 'orders:read orders:write' });
      expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    });
  });

  it.each([
    ['client_secret_basic', () => client.ClientSecretBasic(webApp.clientSecret)],
    ['client_secret_post', () => client.ClientSecretPost(webApp.clientSecret)],
  ])('runs the flow for a confidential app authenticating with %s', async (_method, auth) => {
    const tokens = await codeFlow(await discover(webApp, auth()), 'orders:read');
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'orders:read' });
    const refreshed = await client.refreshTokenGrant(await discover(webApp, auth()), tokens.refresh_token!);
    expect(refreshed.scope).toBe('orders:read');
  });

  it('runs the flow for a native app (RFC 8252 §7.3): registered on a loopback IP literal, redirected to the port it opened', async () => {
    const native = await appClient(testApp.app, root, { name: 'Desktop tracker', type: 'public', redirectUris: ['http://127.0.0.1/callback'] });
    const config = await discover(native, client.None());
    const tokens = await libraryCodeFlow(issuer, config, { redirectUri: 'http://127.0.0.1:53127/callback', scope: 'orders:read', account: alice });
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'orders:read' });
    // Only the port is free: another path is refused before any redirect (an error page, never a code).
    await expect(libraryCodeFlow(issuer, config, { redirectUri: 'http://127.0.0.1:53127/other', scope: 'orders:read', account: alice })).rejects.toThrow(
      /authorize answered 400/,
    );
  });

  it.each([
    ['names another issuer', (redirect: URL) => redirect.searchParams.set('iss', 'https://evil.example'), 'unexpected "iss" (issuer) response parameter value'],
    ['names no issuer', (redirect: URL) => redirect.searchParams.delete('iss'), 'response parameter "iss" (issuer) missing'],
  ])('lets openid-client refuse a redirect that %s (mix-up, RFC 9207 §2.4), and the code stays unused', async (_name, tamper, reason) => {
    const config = await discover(spa, client.None());
    const verifier = client.randomPKCECodeVerifier();
    const redirect_uri = REDIRECT_URI;
    const code_challenge = await client.calculatePKCECodeChallenge(verifier);
    const url = client.buildAuthorizationUrl(config, { redirect_uri, scope: 'orders:read', state: 's1', code_challenge, code_challenge_method: 'S256' });
    const redirect = await authorizeAs(issuer, url.href, alice);
    const tampered = new URL(redirect);
    tamper(tampered);
    await expect(client.authorizationCodeGrant(config, tampered, { pkceCodeVerifier: verifier, expectedState: 's1' })).rejects.toMatchObject({
      cause: { message: reason },
    });
    // The library sent nothing: the genuine redirect is still redeemed.
    await expect(client.authorizationCodeGrant(config, redirect, { pkceCodeVerifier: verifier, expectedState: 's1' })).resolves.toMatchObject({
      scope: 'orders:read',
    });
  });

  it('refuses a confidential app’s code redeemed without its secret, through the library (invalid_client)', async () => {
    await expect(codeFlow(await discover(webApp, client.None()), 'orders:read')).rejects.toMatchObject({ error: 'invalid_client' });
  });

  it('gives an admin’s app no more than an admin’s orders scopes, no role, and no admin route', async () => {
    const tokens = await codeFlow(await discover(spa, client.None()), 'orders:read orders:write', root);
    const [, payload] = tokens.access_token.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toMatchObject({ sub: `user:${root.id}`, scope: 'orders:read orders:write' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).not.toHaveProperty('role');
    expect((await testApp.app.inject({ method: 'GET', url: '/api/v1/users', headers: bearer(tokens.access_token) })).statusCode).toBe(403);
    expect((await testApp.app.inject({ method: 'GET', url: '/api/v1/users', headers: root.headers })).statusCode).toBe(200);
  });

  it('remembers consent per user, app and scopes: the same or fewer skip the page, a new scope asks again', async () => {
    const bob = await customer(testApp.app);
    const config = await discover(spa, client.None());
    const consentShown = async (scope: string) => {
      const browser = new AuthorizeBrowser(issuer);
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: REDIRECT_URI,
        scope,
        state: 's',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      });
      await browser.open(url.href);
      const answer = await browser.signIn(bob);
      if (answer.status === 200) await browser.decide('allow');
      return answer.status === 200 ? 'consent page' : `redirect ${answer.status} with a code: ${answer.location?.searchParams.has('code')}`;
    };
    expect(await consentShown('orders:read')).toBe('consent page');
    expect(await consentShown('orders:read')).toBe('redirect 303 with a code: true');
    expect(await consentShown('orders:read orders:write')).toBe('consent page');
    expect(await consentShown('orders:write')).toBe('redirect 303 with a code: true');
  });
});
