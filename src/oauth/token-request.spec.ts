import { OAuthError } from './oauth-error';
import { readTokenRequest } from './token-request';

const GRANT = { grant_type: 'client_credentials' };
const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`;

function refusal(body: unknown, authorization?: string): Pick<OAuthError, 'code' | 'basicChallenge'> | undefined {
  try {
    readTokenRequest(body, authorization);
    return undefined;
  } catch (error) {
    return { code: (error as OAuthError).code, basicChallenge: (error as OAuthError).basicChallenge };
  }
}

describe('readTokenRequest (RFC 6749 §4.4.2, §2.3.1)', () => {
  it('reads HTTP Basic credentials, form-urlencoded inside (a + is a space, %XX a byte)', () => {
    expect(readTokenRequest(GRANT, basic('my%20client:s3cr%3At+x'))).toEqual({
      grantType: 'client_credentials',
      scope: undefined,
      credentials: { clientId: 'my client', clientSecret: 's3cr:t x', method: 'basic' },
    });
  });

  it('splits Basic at the first colon: the secret may hold more', () => {
    expect(readTokenRequest(GRANT, basic('id:a:b')).credentials).toMatchObject({ clientId: 'id', clientSecret: 'a:b' });
  });

  it('reads credentials from the body, and the scope', () => {
    expect(readTokenRequest({ ...GRANT, scope: 'orders:read', client_id: 'id', client_secret: 'secret' }, undefined)).toEqual({
      grantType: 'client_credentials',
      scope: 'orders:read',
      credentials: { clientId: 'id', clientSecret: 'secret', method: 'body' },
    });
  });

  it('leaves credentials out when none were sent (the caller answers invalid_client)', () => {
    expect(readTokenRequest(GRANT, undefined).credentials).toBeUndefined();
  });

  it('treats an empty parameter as omitted and ignores unknown ones (RFC 6749 §3.2)', () => {
    expect(readTokenRequest({ ...GRANT, scope: '', resource: 'x', audience: ['a', 'b'] }, basic('id:secret')).scope).toBeUndefined();
  });

  it.each([
    ['no grant_type', {}, basic('id:secret')],
    ['an empty grant_type', { grant_type: '' }, basic('id:secret')],
    ['Basic and body credentials together', { ...GRANT, client_id: 'id', client_secret: 'secret' }, basic('id:secret')],
    ['any Authorization header and body credentials', { ...GRANT, client_id: 'id' }, 'Bearer abc'],
    ['a repeated parameter', { ...GRANT, scope: ['orders:read', 'orders:fulfil'] }, basic('id:secret')],
    ['a parameter that is not a string', { grant_type: 1 }, basic('id:secret')],
    ['a body that is not an object', ['client_credentials'], basic('id:secret')],
    ['a body that is a string', 'grant_type=client_credentials', basic('id:secret')],
  ])('refuses %s with invalid_request', (_name, body, authorization) => {
    expect(refusal(body, authorization)).toEqual({ code: 'invalid_request', basicChallenge: false });
  });

  it.each([
    ['not Basic', 'Bearer abc'],
    ['not base64', 'Basic ***'],
    ['no colon', basic('idsecret')],
    ['no id', basic(':secret')],
    ['no secret', basic('id:')],
    ['a malformed escape', basic('id:%zz')],
  ])('refuses an Authorization header with %s as invalid_client, challenging for Basic', (_name, authorization) => {
    expect(refusal(GRANT, authorization)).toEqual({ code: 'invalid_client', basicChallenge: true });
  });

  it('reads a client_id without a secret as a public client naming itself (RFC 6749 §3.2.1)', () => {
    expect(readTokenRequest({ ...GRANT, client_id: 'id' }, undefined).credentials).toEqual({ clientId: 'id', method: 'none' });
  });

  it('refuses a client_secret without a client_id as invalid_client, without a challenge', () => {
    expect(refusal({ ...GRANT, client_secret: 'secret' })).toEqual({ code: 'invalid_client', basicChallenge: false });
  });

  it('reads the parameters of the authorization code and refresh token grants', () => {
    const body = { grant_type: 'authorization_code', code: 'c', redirect_uri: 'https://app.example/cb', code_verifier: 'v', refresh_token: 'r' };
    expect(readTokenRequest(body, basic('id:secret'))).toMatchObject({
      code: 'c',
      redirectUri: 'https://app.example/cb',
      codeVerifier: 'v',
      refreshToken: 'r',
    });
  });
});
