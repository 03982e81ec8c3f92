import { decodeHeader, trustedKeyId } from './access-token-header';

describe('trustedKeyId', () => {
  const genuine = { alg: 'RS256', typ: 'at+jwt', kid: 'key-1' };

  it('returns the kid of a header we issue, typ compared case-insensitively (RFC 9068 §4)', () => {
    expect(trustedKeyId(genuine)).toBe('key-1');
    expect(trustedKeyId({ ...genuine, typ: 'AT+JWT' })).toBe('key-1');
    expect(trustedKeyId({ ...genuine, typ: 'application/at+jwt' })).toBe('key-1');
  });

  it.each([
    ['alg none', { ...genuine, alg: 'none' }],
    ['alg HS256', { ...genuine, alg: 'HS256' }],
    ['alg rs256 (algorithm names are case-sensitive)', { ...genuine, alg: 'rs256' }],
    ['typ JWT', { ...genuine, typ: 'JWT' }],
    ['no typ', { alg: 'RS256', kid: 'key-1' }],
    ['jku', { ...genuine, jku: 'https://attacker.example/keys' }],
    ['x5u', { ...genuine, x5u: 'https://attacker.example/cert' }],
    ['jwk', { ...genuine, jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } }],
    ['x5c', { ...genuine, x5c: ['MIIB'] }],
    ['jku even when empty', { ...genuine, jku: '' }],
    ['crit', { ...genuine, crit: ['b64'], b64: false }],
    ['no kid', { alg: 'RS256', typ: 'at+jwt' }],
    ['a kid that is not a string', { ...genuine, kid: 7 }],
    ['not an object', 'RS256'],
    ['null', null],
  ])('refuses %s', (_name, header) => {
    expect(trustedKeyId(header)).toBeUndefined();
  });
});

describe('decodeHeader', () => {
  const segment = (text: string) => Buffer.from(text).toString('base64url');

  it('parses the first segment of a compact JWT', () => {
    expect(decodeHeader(`${segment('{"alg":"RS256"}')}.e30.sig`)).toEqual({ alg: 'RS256' });
  });

  it('returns undefined for anything that is not JSON', () => {
    expect(decodeHeader('not-a-jwt')).toBeUndefined();
    expect(decodeHeader(`${segment('{"alg":')}.e30.sig`)).toBeUndefined();
  });
});
