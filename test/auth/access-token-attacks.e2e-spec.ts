import { createSign } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { expectInvalidCredentials, manyLoginsEnv, me, refreshRequest, TokenPair } from '../support/auth';
import { customer } from '../support/principals';
import {
  base64url,
  decodeSegment,
  encodeSegment,
  flipSignatureBit,
  forgeRs256,
  genuineClaims,
  genuineHeader,
  JsonObject,
  signHs256,
  signingInput,
  signRs256,
} from '../support/forge-token';
import { startTestApp, TestApp } from '../support/test-app';
import { ACCESS_TOKEN_TTL_SECONDS } from '../../src/auth/token.constants';
import { newSigningKey, testSecrets } from '../support/test-secrets';

/**
 * Every known way to get a forged, altered or misused JWT accepted (RFC 8725; OWASP JWT Cheat
 * Sheet) against GET /users/me. Each first shows the request that should work does, then that
 * each attack gets the one identical 401 of docs/http-contract.md.
 */
describe('Access token attacks', () => {
  let testApp: TestApp;
  let userId: string;
  let tokens: TokenPair;
  const ours = testSecrets().signingKeys.current;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    testApp = await startTestApp({ env: manyLoginsEnv() });
    ({ id: userId, tokens } = await customer(testApp.app));
  });
  afterAll(() => testApp.close());

  const call = (token: string): Promise<LightMyRequestResponse> => me(testApp.app, token);
  const signedByUs = (header: JsonObject, payload: JsonObject = genuineClaims(userId)) => forgeRs256(header, payload, ours.privateKey);
  const unsigned = (header: JsonObject, payload: JsonObject = genuineClaims(userId)) => `${signingInput(header, payload)}.`;
  const hs256 = (secret: string, header: JsonObject = { alg: 'HS256', typ: 'at+jwt', kid: ours.kid }) => {
    const input = signingInput(header, genuineClaims(userId));
    return `${input}.${signHs256(input, secret)}`;
  };

  describe('the controls: what should work, works', () => {
    it.each([
      ['the token from login', () => tokens.accessToken],
      ['a token built by the forging helpers with our key', () => signedByUs(genuineHeader(ours.kid))],
      ['typ written as the full media type (RFC 9068 §4)', () => signedByUs({ ...genuineHeader(ours.kid), typ: 'application/at+jwt' })],
      ['exp just passed, within the clock tolerance', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { exp: now() - 2 }))],
    ])('%s', async (_name, token) => {
      expect((await call(token())).statusCode).toBe(200);
    });

    it('accepts the scheme name in any case (RFC 9110 §11.1)', async () => {
      const response = await testApp.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization: `bEaReR ${tokens.accessToken}` } });
      expect(response.statusCode).toBe(200);
    });
  });

  const attacks: Array<[string, () => string]> = [
    // RFC 8725 §2.1: "none" and algorithm confusion.
    ...['none', 'None', 'NONE', 'nOnE'].flatMap((alg): Array<[string, () => string]> => [
      [`alg ${alg}, no signature`, () => unsigned({ alg, typ: 'at+jwt', kid: ours.kid })],
      [
        `alg ${alg}, with a signature`,
        () => {
          const input = signingInput({ alg, typ: 'at+jwt', kid: ours.kid }, genuineClaims(userId));
          return `${input}.${signRs256(input, ours.privateKey)}`;
        },
      ],
    ]),
    ['HS256 keyed with our public key as PEM', () => hs256(ours.publicKey.export({ type: 'spki', format: 'pem' }).toString())],
    ['HS256 keyed with our public key as PEM, no trailing newline', () => hs256(ours.publicKey.export({ type: 'spki', format: 'pem' }).toString().trimEnd())],
    ['HS256 keyed with our public key as PKCS#1 PEM', () => hs256(ours.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString())],
    ['HS256 keyed with our public key as the JWK JSON', () => hs256(JSON.stringify(ours.publicKey.export({ format: 'jwk' })))],
    ['HS256 keyed with the JWKS entry', () => hs256(JSON.stringify({ ...ours.publicKey.export({ format: 'jwk' }), kid: ours.kid, use: 'sig', alg: 'RS256' }))],
    [
      'RS512 instead of RS256',
      () => {
        const input = signingInput({ ...genuineHeader(ours.kid), alg: 'RS512' }, genuineClaims(userId));
        return `${input}.${createSign('RSA-SHA512').update(input).sign(ours.privateKey, 'base64url')}`;
      },
    ],
    // Signature and payload integrity.
    ['an empty signature', () => unsigned(genuineHeader(ours.kid))],
    ['a bit-flipped signature', () => flipSignatureBit(tokens.accessToken)],
    [
      'a payload edited to admin, signature kept',
      () => {
        const [header, , signature] = tokens.accessToken.split('.');
        const claims = { ...decodeSegment(tokens.accessToken, 1), role: 'admin', scope: 'orders:read orders:write orders:fulfil products:write' };
        return `${header}.${encodeSegment(claims)}.${signature}`;
      },
    ],
    [
      'a payload edited to another user, signature kept',
      () => {
        const [header, , signature] = tokens.accessToken.split('.');
        return `${header}.${encodeSegment({ ...decodeSegment(tokens.accessToken, 1), sub: 'user:00000000-0000-4000-8000-000000000000' })}.${signature}`;
      },
    ],
    ['a token signed by a foreign RSA key under our kid', () => forgeRs256(genuineHeader(ours.kid), genuineClaims(userId), newSigningKey().privateKey)],
    // Key selection (RFC 8725 §3.10): only our own key ring, by kid.
    ['an unknown kid', () => signedByUs(genuineHeader('6a0c5c3e-0000-4000-8000-000000000000'))],
    ['a kid that is a path', () => signedByUs(genuineHeader('../../dev/null'))],
    ['a kid that is SQL', () => signedByUs(genuineHeader("' OR 1=1--"))],
    ['no kid', () => signedByUs({ alg: 'RS256', typ: 'at+jwt' })],
    ['a kid that is not a string', () => signedByUs({ ...genuineHeader(ours.kid), kid: 1 })],
    ['a jwk header carrying our own public key', () => signedByUs({ ...genuineHeader(ours.kid), jwk: ours.publicKey.export({ format: 'jwk' }) })],
    ['an x5c header', () => signedByUs({ ...genuineHeader(ours.kid), x5c: [base64url('not a certificate')] })],
    ['a crit header', () => signedByUs({ ...genuineHeader(ours.kid), crit: ['exp'] })],
    // Claims.
    ['an expired token', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { iat: now() - 1000, exp: now() - 60 }))],
    ['nbf in the future', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { nbf: now() + 3600 }))],
    ['iat in the future', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { iat: now() + 3600, exp: now() + 4500 }))],
    ['no exp', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { exp: undefined }))],
    ['no iat', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { iat: undefined }))],
    // Defence in depth if the key leaks: no lifetime longer than the 15 minutes we issue.
    ['an exp ten years out', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { exp: now() + 10 * 365 * 24 * 3600 }))],
    [
      'a lifetime one second longer than we issue',
      () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { exp: now() + ACCESS_TOKEN_TTL_SECONDS + 1 })),
    ],
    ['no token generation', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { gen: undefined }))],
    ['a wrong iss', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { iss: 'urn:someone-else' }))],
    ['a wrong aud', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { aud: 'urn:another-api' }))],
    ['typ JWT', () => signedByUs({ ...genuineHeader(ours.kid), typ: 'JWT' })],
    ['no typ', () => signedByUs({ alg: 'RS256', kid: ours.kid })],
    ['a sub that is not a user id', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { sub: userId }))],
    ['a scope the role does not carry', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { scope: 'orders:read orders:fulfil' }))],
    ['an unknown role', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { role: 'superuser' }))],
    ['no email_verified on a user token', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { email_verified: undefined }))],
    ['an email_verified that is not a boolean', () => signedByUs(genuineHeader(ours.kid), genuineClaims(userId, { email_verified: 'true' }))],
    [
      'a payload that is not an object',
      () => {
        const input = `${encodeSegment(genuineHeader(ours.kid))}.${base64url('"just a string"')}`;
        return `${input}.${signRs256(input, ours.privateKey)}`;
      },
    ],
    // Not a JWT at all.
    ['a refresh token', () => tokens.refreshToken],
    ['garbage', () => 'not-a-token'],
    ['two segments', () => tokens.accessToken.split('.').slice(0, 2).join('.')],
    ['a header that is not JSON', () => `${base64url('{nope')}.${tokens.accessToken.split('.').slice(1).join('.')}`],
  ];

  describe('each attack gets the one identical 401', () => {
    it.each(attacks)('%s', async (_name, token) => {
      expectInvalidCredentials(await call(token()));
    });

    it('whatever the reason, the same headers', async () => {
      const comparable = (response: LightMyRequestResponse) => {
        // A refused credential spends the client IP's quota, so the count left goes down by one each time,
        // and the seconds left in the window tick down while the attacks run: neither says why a token failed.
        const { date: _date, 'x-request-id': _id, ratelimit, ...headers } = response.headers;
        return { ...headers, ratelimit: String(ratelimit).replace(/;r=\d+;t=\d+$/, ';r=<n>;t=<s>') };
      };
      const reference = comparable(await call(attacks[0][1]()));
      expect(reference.ratelimit).toMatch(/^"[a-z-]+";r=<n>;t=<s>$/);
      for (const [, token] of attacks) expect(comparable(await call(token()))).toEqual(reference);
    });
  });

  it('refuses other schemes and a bearer header with junk after the token', async () => {
    for (const authorization of [`Basic ${base64url('user:pass')}`, `Bearer ${tokens.accessToken} extra`, `Bearer`, tokens.accessToken]) {
      expectInvalidCredentials(await testApp.app.inject({ method: 'GET', url: '/api/v1/users/me', headers: { authorization } }));
    }
  });

  it('never fetches a URL named by a jku or x5u header', async () => {
    let fetched = 0;
    const server: Server = createServer((_request, response) => {
      fetched += 1;
      response.end(JSON.stringify(testSecrets().signingKeys.current.publicKey.export({ format: 'jwk' })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
      expectInvalidCredentials(await call(signedByUs({ ...genuineHeader(ours.kid), jku: url })));
      expectInvalidCredentials(await call(signedByUs({ ...genuineHeader(ours.kid), x5u: url })));
      expect(fetched).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('never accepts an access token as a refresh token', async () => {
    const response = await refreshRequest(testApp.app, tokens.accessToken);
    expect(response.statusCode).toBe(401);
    expect((await call(tokens.accessToken)).statusCode).toBe(200);
  });

  describe('during a key rotation', () => {
    let rotated: TestApp;
    const previous = newSigningKey();

    beforeAll(async () => {
      rotated = await startTestApp({ env: manyLoginsEnv(), secrets: { signingKeys: { current: ours, previous } } });
    });
    afterAll(() => rotated.close());

    it('publishes both keys and still accepts tokens signed by the previous one', async () => {
      const { id } = await customer(rotated.app);
      const jwks = (await rotated.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json<{ keys: Array<{ kid: string; d?: string }> }>();
      expect(jwks.keys.map((key) => key.kid)).toEqual([ours.kid, previous.kid]);
      expect(jwks.keys.every((key) => key.d === undefined)).toBe(true);
      const byPrevious = forgeRs256(genuineHeader(previous.kid), genuineClaims(id), previous.privateKey);
      expect((await me(rotated.app, byPrevious)).statusCode).toBe(200);
      // The previous key verifies only under its own kid.
      expectInvalidCredentials(await me(rotated.app, forgeRs256(genuineHeader(ours.kid), genuineClaims(id), previous.privateKey)));
    });
  });
});
