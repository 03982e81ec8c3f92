import { isRegisteredRedirect, redirectUriProblem } from './redirect-uri';

describe('redirectUriProblem (RFC 6749 §3.1.2, RFC 8252 §7.3)', () => {
  it.each(['https://app.example/callback', 'https://app.example/cb?tenant=7', 'http://127.0.0.1:8080/cb', 'http://[::1]:8080/cb', 'http://localhost/cb'])(
    'accepts %s in production',
    (uri) => {
      expect(redirectUriProblem(uri, true)).toBeUndefined();
    },
  );

  it('accepts http on any host outside production only', () => {
    expect(redirectUriProblem('http://app.example/cb', false)).toBeUndefined();
    expect(redirectUriProblem('http://app.example/cb', true)).toMatch(/https in production/);
    expect(redirectUriProblem('http://127.0.0.1.app.example/cb', true)).toMatch(/https in production/);
  });

  it.each([
    ['a relative URL', '/callback', /absolute/],
    ['a fragment', 'https://app.example/cb#x', /fragment/],
    ['an empty fragment', 'https://app.example/cb#', /fragment/],
    ['user info', 'https://user:pw@app.example/cb', /user name/],
    ['a script URL', 'javascript:alert(1)', /https URL/],
    ['a private-use scheme', 'com.example.app:/cb', /https URL/],
  ])('refuses %s everywhere', (_name, uri, problem) => {
    expect(redirectUriProblem(uri, false)).toMatch(problem);
    expect(redirectUriProblem(uri, true)).toMatch(problem);
  });
});

describe('isRegisteredRedirect (RFC 9700 §4.1.3, RFC 8252 §7.3)', () => {
  const registered = ['https://app.example/callback', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb?x=1', 'http://localhost:8080/cb'];

  it.each([
    ['the very string registered', 'https://app.example/callback'],
    ['a loopback IPv4 literal on a port the app just opened', 'http://127.0.0.1:53127/cb'],
    ['a loopback IPv6 literal on another port, the query unchanged', 'http://[::1]:49152/cb?x=1'],
    ['a loopback IPv6 literal with no port', 'http://[::1]/cb?x=1'],
    ['localhost exactly as registered', 'http://localhost:8080/cb'],
  ])('takes %s', (_name, uri) => {
    expect(isRegisteredRedirect(registered, uri)).toBe(true);
  });

  it.each([
    ['an https URI on another port', 'https://app.example:8443/callback'],
    ['a loopback URI with a longer path', 'http://127.0.0.1:53127/cb/more'],
    ['a loopback URI with a query added', 'http://127.0.0.1:53127/cb?next=x'],
    ['a loopback URI with the query changed', 'http://[::1]:49152/cb?x=2'],
    ['the other loopback address', 'http://[::1]:53127/cb'],
    ['localhost on another port (RFC 8252 §8.3: not a literal)', 'http://localhost:9090/cb'],
    ['https on a loopback port where http was registered', 'https://127.0.0.1:53127/cb'],
    ['a port no URL can have', 'http://127.0.0.1:99999/cb'],
    ['a host that only starts like a loopback one', 'http://127.0.0.1.evil.example/cb'],
  ])('refuses %s', (_name, uri) => {
    expect(isRegisteredRedirect(registered, uri)).toBe(false);
  });
});
