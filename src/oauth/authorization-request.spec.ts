import { checkAuthorization, readRedirectTarget } from './authorization-request';

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const VALID = {
  response_type: 'code',
  client_id: 'app.x',
  redirect_uri: 'https://app.example/cb',
  state: 's-1',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
};
const CLIENT_SCOPES = ['orders:read', 'orders:write'] as const;

describe('readRedirectTarget (RFC 6749 §4.1.2.1: nothing is redirected before these are checked)', () => {
  it('reads client_id and redirect_uri', () => {
    expect(readRedirectTarget(VALID)).toEqual({ clientId: 'app.x', redirectUri: 'https://app.example/cb' });
  });

  it.each([
    ['no client_id', { ...VALID, client_id: undefined }],
    ['a client_id sent twice', { ...VALID, client_id: ['app.x', 'app.y'] }],
    ['no redirect_uri', { ...VALID, redirect_uri: undefined }],
    ['an empty redirect_uri', { ...VALID, redirect_uri: '' }],
    ['a redirect_uri sent twice', { ...VALID, redirect_uri: ['https://app.example/cb', 'https://evil.example/'] }],
  ])('says why for %s', (_name, query) => {
    expect(typeof readRedirectTarget(query)).toBe('string');
  });
});

describe('checkAuthorization (RFC 6749 §4.1.1, RFC 7636 §4.3, OAuth 2.1)', () => {
  it('checks a request, scope absent meaning every scope of the client', () => {
    expect(checkAuthorization(VALID, CLIENT_SCOPES)).toEqual({ scopes: ['orders:read', 'orders:write'], state: 's-1', codeChallenge: CHALLENGE });
    expect(checkAuthorization({ ...VALID, scope: 'orders:read' }, CLIENT_SCOPES)).toMatchObject({ scopes: ['orders:read'] });
  });

  it('ignores parameters it does not know (RFC 6749 §3.1)', () => {
    expect(checkAuthorization({ ...VALID, prompt: 'consent', nonce: 'n' }, CLIENT_SCOPES)).toMatchObject({ state: 's-1' });
  });

  it.each([
    ['no code_challenge_method (it would be plain)', { code_challenge_method: undefined }, 'invalid_request'],
    ['the plain method (a PKCE downgrade)', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no code_challenge', { code_challenge: undefined }, 'invalid_request'],
    ['a challenge that is no S256 digest', { code_challenge: 'short' }, 'invalid_request'],
    ['no response_type', { response_type: undefined }, 'invalid_request'],
    ['the implicit grant’s response_type', { response_type: 'token' }, 'unsupported_response_type'],
    ['a scope beyond the client’s', { scope: 'orders:read orders:fulfil' }, 'invalid_scope'],
    ['a parameter sent twice', { scope: ['orders:read', 'orders:write'] }, 'invalid_request'],
  ])('refuses %s, echoing state', (_name, change, error) => {
    expect(checkAuthorization({ ...VALID, ...change }, CLIENT_SCOPES)).toMatchObject({ error, state: 's-1' });
  });

  it.each([
    ['no state', undefined],
    ['an empty state', ''],
    ['a state over 512 characters', 'x'.repeat(513)],
    ['a state with a control character', 'a\nb'],
  ])('refuses %s, echoing no state', (_name, state) => {
    const refusal = checkAuthorization({ ...VALID, state }, CLIENT_SCOPES);
    expect(refusal).toEqual({ error: 'invalid_request', description: expect.stringContaining('state') });
  });
});
