import { redirectUriProblem } from './redirect-uri';

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
