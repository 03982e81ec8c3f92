import * as client from 'openid-client';
import { Account, manyLoginsEnv } from './auth';
import { AppClient, authorizeAs } from './oauth-apps';
import { freePort } from './server-process';
import { startTestApp, TestApp } from './test-app';

/**
 * openid-client configured for an app from the server's RFC 8414 metadata. The issuer is plain http on loopback,
 * so the library is given its documented option for that.
 */
export function discover(issuer: string, app: Pick<AppClient, 'clientId'>, auth: client.ClientAuth): Promise<client.Configuration> {
  return client.discovery(new URL(issuer), app.clientId, undefined, auth, { algorithm: 'oauth2', execute: [client.allowInsecureRequests] });
}

/**
 * The authorization code flow as openid-client runs it: its own authorization request (PKCE S256, state), the
 * browser steps as `account` (authorizeAs: sign-in, consent), then its check of the redirect (state, iss) and
 * its redemption of the code.
 */
export async function libraryCodeFlow(
  issuer: string,
  config: client.Configuration,
  { redirectUri, scope, account }: { redirectUri: string; scope: string; account: Pick<Account, 'email' | 'password'> },
): Promise<client.TokenEndpointResponse> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  const redirect = await authorizeAs(issuer, url.href, account);
  return client.authorizationCodeGrant(config, redirect, { pkceCodeVerifier: verifier, expectedState: state });
}

/** The app listening on a real loopback socket, with that socket's URL as its PUBLIC_URL: the issuer clients discover. */
export async function startIssuer(): Promise<{ testApp: TestApp; issuer: string }> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const testApp = await startTestApp({ env: { ...manyLoginsEnv(), PUBLIC_URL: issuer } });
  await testApp.app.listen(port, '127.0.0.1');
  return { testApp, issuer };
}
