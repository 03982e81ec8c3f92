import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { DataSource } from 'typeorm';
import { TOKEN_AUDIENCE } from '../../src/auth/token.constants';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { basicAuth, ClientCaller, serviceClient } from '../support/api-keys';
import { bearer } from '../support/auth';
import { AppClient, appClient } from '../support/oauth-apps';
import { discover, libraryCodeFlow, startIssuer } from '../support/oauth-libraries';
import { admin, Caller, customer } from '../support/principals';
import type { TestApp } from '../support/test-app';

/**
 * RFC 7009 revocation and RFC 7662 introspection, driven by openid-client from the RFC 8414 metadata over a real
 * loopback socket, with oauth4webapi's checks of the answers; then what the libraries would not send: another
 * client's token, a public client introspecting, no token at all. Each refusal next to the request that works.
 */
describe('Token revocation (RFC 7009) and introspection (RFC 7662)', () => {
  let testApp: TestApp;
  let issuer: string;
  let alice: Caller;
  let spa: AppClient;
  let otherSpa: AppClient;
  let webApp: AppClient;
  let service: ClientCaller;
  const REDIRECT_URI = 'http://127.0.0.1:9/callback';

  beforeAll(async () => {
    ({ testApp, issuer } = await startIssuer());
    const root = await admin(testApp.app);
    alice = await customer(testApp.app);
    spa = await appClient(testApp.app, root, { name: 'Storefront SPA', type: 'public', redirectUris: [REDIRECT_URI] });
    otherSpa = await appClient(testApp.app, root, { name: 'Another SPA', type: 'public', redirectUris: [REDIRECT_URI] });
    webApp = await appClient(testApp.app, root, { name: 'Order tracker', type: 'confidential', redirectUris: [REDIRECT_URI], scopes: ['orders:read'] });
    service = await serviceClient(testApp.app, root, ['products:write']);
  });
  afterAll(() => testApp.close());

  const spaConfig = () => discover(issuer, spa, client.None());
  const webAppConfig = () => discover(issuer, webApp, client.ClientSecretBasic(webApp.clientSecret));
  const spaTokens = async () => libraryCodeFlow(issuer, await spaConfig(), { redirectUri: REDIRECT_URI, scope: 'orders:read orders:write', account: alice });
  const webAppTokens = async () => libraryCodeFlow(issuer, await webAppConfig(), { redirectUri: REDIRECT_URI, scope: 'orders:read', account: alice });
  const ordersWith = async (accessToken: string) => (await fetch(`${issuer}/api/v1/orders`, { headers: bearer(accessToken) })).status;
  const refreshWith = (config: client.Configuration, refreshToken: string) => client.refreshTokenGrant(config, refreshToken);
  const serviceToken = async () => {
    const answer = await postForm('token', { grant_type: 'client_credentials' }, basicAuth(service.clientId, service.clientSecret));
    return ((await answer.json()) as { access_token: string }).access_token;
  };
  const postForm = (route: 'token' | 'revoke' | 'introspect', form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${issuer}/api/v1/oauth/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });

  it('lists both endpoints and how clients authenticate at them in the RFC 8414 metadata', async () => {
    expect((await spaConfig()).serverMetadata()).toMatchObject({
      revocation_endpoint: `${issuer}/api/v1/oauth/revoke`,
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint: `${issuer}/api/v1/oauth/introspect`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    });
  });

  describe('revocation', () => {
    it('ends a public app’s refresh token with its whole family: the access token issued with it stops working too (§2.1)', async () => {
      const tokens = await spaTokens();
      expect(await ordersWith(tokens.access_token)).toBe(200);
      await client.tokenRevocation(await spaConfig(), tokens.refresh_token!);
      expect(await ordersWith(tokens.access_token)).toBe(401);
      await expect(refreshWith(await spaConfig(), tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      const [event] = await testApp.app.get(DataSource).manager.find(AuditEvent, { where: { action: 'oauth.revoke', actorId: spa.id }, order: { at: 'DESC' } });
      expect(event).toMatchObject({ actorType: 'client', targetType: 'refresh_token', outcome: 'success' });
    });

    it('ends one access token, and leaves the refresh token working (the RFC’s MAY, not taken)', async () => {
      const tokens = await spaTokens();
      await client.tokenRevocation(await spaConfig(), tokens.access_token, { token_type_hint: 'access_token' });
      expect(await ordersWith(tokens.access_token)).toBe(401);
      const refreshed = await refreshWith(await spaConfig(), tokens.refresh_token!);
      expect(await ordersWith(refreshed.access_token)).toBe(200);
    });

    it('ends a confidential app’s token with its secret, and refuses the same request with a wrong secret (401 invalid_client)', async () => {
      const tokens = await webAppTokens();
      const wrong = await postForm('revoke', { token: tokens.refresh_token! }, basicAuth(webApp.clientId, 'not-the-secret'));
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ error: 'invalid_client' });
      expect(await ordersWith(tokens.access_token)).toBe(200);
      await client.tokenRevocation(await webAppConfig(), tokens.refresh_token!);
      expect(await ordersWith(tokens.access_token)).toBe(401);
    });

    it('ends a service client’s own client-credentials token', async () => {
      const token = await serviceToken();
      const products = () =>
        fetch(`${issuer}/api/v1/products`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: '{}' });
      expect((await products()).status).toBe(400);
      const revoked = await postForm('revoke', { token }, basicAuth(service.clientId, service.clientSecret));
      expect(revoked.status).toBe(200);
      expect((await products()).status).toBe(401);
    });

    it('refuses to end a token issued to another client (§2.1: 400 invalid_request), which goes on working', async () => {
      const tokens = await spaTokens();
      for (const token of [tokens.refresh_token!, tokens.access_token]) {
        const answer = await postForm('revoke', { token, client_id: otherSpa.clientId });
        expect(answer.status).toBe(400);
        expect(await answer.json()).toMatchObject({ error: 'invalid_request', error_description: 'The token was not issued to this client' });
      }
      expect(await ordersWith(tokens.access_token)).toBe(200);
      expect(await ordersWith((await refreshWith(await spaConfig(), tokens.refresh_token!)).access_token)).toBe(200);
    });

    it('answers 200 with an empty body for a token it never issued (§2.2), and 400 for no token at all', async () => {
      for (const token of ['not-a-token', 'a'.repeat(43), 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln']) {
        const answer = await postForm('revoke', { token, client_id: spa.clientId });
        expect([answer.status, await answer.text(), answer.headers.get('cache-control')]).toEqual([200, '', 'no-store']);
      }
      const missing = await postForm('revoke', { client_id: spa.clientId });
      expect(missing.status).toBe(400);
      expect(await missing.json()).toMatchObject({ error: 'invalid_request', error_description: 'token is required' });
    });

    it('asks the client to authenticate (401 invalid_client without credentials)', async () => {
      const tokens = await spaTokens();
      const answer = await postForm('revoke', { token: tokens.refresh_token! });
      expect(answer.status).toBe(401);
      expect(await answer.json()).toMatchObject({ error: 'invalid_client' });
      expect(await ordersWith(tokens.access_token)).toBe(200);
    });
  });

  describe('introspection', () => {
    it('describes a confidential app’s active access token as RFC 7662 §2.2 does, checked by oauth4webapi', async () => {
      const tokens = await webAppTokens();
      const config = await webAppConfig();
      const answer = await client.tokenIntrospection(config, tokens.access_token);
      expect(answer).toMatchObject({
        active: true,
        token_type: 'Bearer',
        scope: 'orders:read',
        client_id: webApp.clientId,
        sub: `user:${alice.id}`,
        iss: issuer,
        aud: TOKEN_AUDIENCE,
      });
      expect(answer.exp! - answer.iat!).toBe(900);
      // oauth4webapi's own parser of the answer (it checks the shape of every member it knows).
      const metadata = config.serverMetadata();
      const response = await oauth.introspectionRequest(
        metadata,
        { client_id: webApp.clientId },
        oauth.ClientSecretPost(webApp.clientSecret!),
        tokens.refresh_token!,
        {
          [oauth.allowInsecureRequests]: true,
        },
      );
      const refresh = await oauth.processIntrospectionResponse(metadata, { client_id: webApp.clientId }, response);
      expect(refresh).toMatchObject({ active: true, scope: 'orders:read', client_id: webApp.clientId, sub: `user:${alice.id}` });
      expect(refresh).not.toHaveProperty('token_type');
    });

    it('says `active: false` once the token is revoked, rotated away or never ours, and nothing more', async () => {
      const tokens = await webAppTokens();
      const config = await webAppConfig();
      const refreshed = await refreshWith(config, tokens.refresh_token!);
      expect(await client.tokenIntrospection(config, tokens.refresh_token!)).toEqual({ active: false });
      expect(await client.tokenIntrospection(config, refreshed.refresh_token!)).toMatchObject({ active: true });
      await client.tokenRevocation(config, refreshed.refresh_token!);
      expect(await client.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false });
      expect(await client.tokenIntrospection(config, refreshed.refresh_token!)).toEqual({ active: false });
      expect(await client.tokenIntrospection(config, 'never-issued')).toEqual({ active: false });
    });

    it('tells a client nothing about another client’s tokens or the user’s own login (`active: false`)', async () => {
      const spaPair = await spaTokens();
      const config = await webAppConfig();
      for (const token of [spaPair.access_token, spaPair.refresh_token!, alice.tokens.accessToken]) {
        expect(await client.tokenIntrospection(config, token)).toEqual({ active: false });
      }
      expect(await ordersWith(spaPair.access_token)).toBe(200);
    });

    it('describes a service client’s own token to it', async () => {
      const token = await serviceToken();
      const answer = await postForm('introspect', { token }, basicAuth(service.clientId, service.clientSecret));
      expect(await answer.json()).toMatchObject({ active: true, client_id: service.clientId, sub: `client:${service.id}`, scope: 'products:write' });
    });

    it('refuses a public app, which has no secret to prove itself with (401 invalid_client)', async () => {
      const tokens = await spaTokens();
      const answer = await postForm('introspect', { token: tokens.access_token, client_id: spa.clientId });
      expect(answer.status).toBe(401);
      expect(await answer.json()).toMatchObject({ error: 'invalid_client' });
      await expect(client.tokenIntrospection(await spaConfig(), tokens.access_token)).rejects.toMatchObject({ error: 'invalid_client' });
    });
  });
});
