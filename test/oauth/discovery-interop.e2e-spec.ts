import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { TOKEN_AUDIENCE } from '../../src/auth/token.constants';
import { ClientCaller, serviceClient } from '../support/api-keys';
import { manyLoginsEnv } from '../support/auth';
import { admin, Caller, customer } from '../support/principals';
import { freePort } from '../support/server-process';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * OAuth discovery as standard client libraries do it, over a real loopback socket: openid-client
 * finds the server from its RFC 8414 metadata and runs the client credentials grant with both client
 * authentication methods; jose verifies the token with the discovered JWKS and issuer; oauth4webapi
 * validates customers' and service clients' tokens as an RFC 9068 resource server would.
 *
 * The issuer is plain http on loopback here, so each library is given its documented option for
 * that (`allowInsecureRequests`); production requires an https PUBLIC_URL.
 */
describe('OAuth discovery with real client libraries (RFC 8414, RFC 9728, RFC 9068)', () => {
  let testApp: TestApp;
  let issuer: string;
  let root: Caller;
  let warehouse: ClientCaller;

  beforeAll(async () => {
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    testApp = await startTestApp({ env: { ...manyLoginsEnv(), PUBLIC_URL: issuer } });
    await testApp.app.listen(port, '127.0.0.1');
    root = await admin(testApp.app);
    warehouse = await serviceClient(testApp.app, root, ['orders:read', 'orders:fulfil']);
  });
  afterAll(() => testApp.close());

  const discover = (auth: client.ClientAuth) =>
    client.discovery(new URL(issuer), warehouse.clientId, undefined, auth, { algorithm: 'oauth2', execute: [client.allowInsecureRequests] });

  it('publishes RFC 8414 metadata whose issuer is PUBLIC_URL, from the token service’s own settings', async () => {
    const metadata = (await discover(client.ClientSecretBasic(warehouse.clientSecret))).serverMetadata();
    expect(metadata).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/api/v1/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    });
  });

  it('is refused by openid-client when the issuer is not the URL it was discovered from', async () => {
    // The same server reached under another name: RFC 8414 §3.3 says the client must reject it.
    const other = issuer.replace('127.0.0.1', 'localhost');
    await expect(
      client.discovery(new URL(other), warehouse.clientId, undefined, client.ClientSecretBasic(warehouse.clientSecret), {
        algorithm: 'oauth2',
        execute: [client.allowInsecureRequests],
      }),
    ).rejects.toThrow(/issuer/);
  });

  it.each([
    ['client_secret_basic', () => client.ClientSecretBasic(warehouse.clientSecret)],
    ['client_secret_post', () => client.ClientSecretPost(warehouse.clientSecret)],
  ])('runs the client credentials grant with %s, and jose verifies the token from the discovered JWKS', async (_method, auth) => {
    const config = await discover(auth());
    const tokens = await client.clientCredentialsGrant(config, { scope: 'orders:read' });
    expect(tokens).toMatchObject({ token_type: 'bearer', scope: 'orders:read', expires_in: 900 });
    const metadata = config.serverMetadata();
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(metadata.jwks_uri!)), {
      issuer: metadata.issuer,
      audience: TOKEN_AUDIENCE,
      typ: 'at+jwt',
      algorithms: ['RS256'],
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ iss: issuer, sub: `client:${warehouse.id}`, client_id: warehouse.clientId, scope: 'orders:read' });
  });

  it('refuses a wrong secret through the library, with RFC 6749 invalid_client', async () => {
    const config = await discover(client.ClientSecretPost('not-the-secret'));
    await expect(client.clientCredentialsGrant(config)).rejects.toMatchObject({ error: 'invalid_client' });
  });

  describe('oauth4webapi.validateJwtAccessToken (RFC 9068 §4)', () => {
    let authorizationServer: oauth.AuthorizationServer;
    beforeAll(async () => {
      const url = new URL(issuer);
      const response = await oauth.discoveryRequest(url, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true });
      authorizationServer = await oauth.processDiscoveryResponse(url, response);
    });

    const validate = (token: string) =>
      oauth.validateJwtAccessToken(
        authorizationServer,
        new Request(`${issuer}/api/v1/orders`, { headers: { authorization: `Bearer ${token}` } }),
        TOKEN_AUDIENCE,
        {
          [oauth.allowInsecureRequests]: true,
        },
      );

    it('accepts a customer’s token, issued to the first-party client', async () => {
      const alice = await customer(testApp.app);
      const claims = await validate(alice.tokens.accessToken);
      expect(claims).toMatchObject({ iss: issuer, sub: `user:${alice.id}`, client_id: 'orders-api:first-party', aud: TOKEN_AUDIENCE });
    });

    it('accepts a service client’s token, naming the client', async () => {
      const token = warehouse.headers.authorization.replace('Bearer ', '');
      expect(await validate(token)).toMatchObject({ iss: issuer, sub: `client:${warehouse.id}`, client_id: warehouse.clientId });
    });

    it('refuses a token whose signature was tampered with (the check can fail)', async () => {
      const alice = await customer(testApp.app);
      const [header, payload, signature] = alice.tokens.accessToken.split('.');
      const tampered = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
      await expect(validate(tampered)).rejects.toThrow();
    });
  });

  it('publishes RFC 9728 protected resource metadata naming this issuer', async () => {
    const response = await fetch(`${issuer}/.well-known/oauth-protected-resource`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      resource: issuer,
      authorization_servers: [issuer],
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      scopes_supported: ['orders:read', 'orders:write', 'orders:fulfil', 'products:write'],
      bearer_methods_supported: ['header'],
    });
  });
});
