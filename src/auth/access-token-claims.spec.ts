import { SCOPES_BY_ROLE } from '../security/scopes';
import {
  buildAccessTokenClaims,
  buildAppTokenClaims,
  buildClientTokenClaims,
  clientRevocationSubject,
  readAccessToken,
  withinLifetime,
} from './access-token-claims';
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS, FIRST_PARTY_CLIENT_ID, TOKEN_AUDIENCE } from './token.constants';

const ISSUER = 'https://orders.example';

const USER_ID = '0b9a4c0e-8f4a-4d2e-9c1a-2f6f1d2b3c4d';
const JTI = '5e1c7f2a-3b4d-4e6f-8a9b-0c1d2e3f4a5b';
const NOW_MS = 1_800_000_000_500;
const NOW = 1_800_000_000;

describe('SCOPES_BY_ROLE (docs/http-contract.md, Roles and scopes)', () => {
  it('gives a customer orders:read and orders:write, an admin all four scopes', () => {
    expect(SCOPES_BY_ROLE.customer).toEqual(['orders:read', 'orders:write']);
    expect([...SCOPES_BY_ROLE.admin].sort()).toEqual(['orders:fulfil', 'orders:read', 'orders:write', 'products:write']);
  });
});

describe('buildAccessTokenClaims', () => {
  it('builds exactly the claims of docs/http-contract.md, expiring 15 minutes after issue', () => {
    expect(buildAccessTokenClaims({ id: USER_ID, role: 'customer', tokenGeneration: 3, emailVerified: true }, JTI, NOW_MS, ISSUER)).toEqual({
      iss: ISSUER,
      aud: TOKEN_AUDIENCE,
      sub: `user:${USER_ID}`,
      jti: JTI,
      iat: NOW,
      exp: NOW + ACCESS_TOKEN_TTL_SECONDS,
      role: 'customer',
      scope: 'orders:read orders:write',
      client_id: FIRST_PARTY_CLIENT_ID,
      gen: 3,
      email_verified: true,
    });
  });

  it('carries every scope and the admin role for an admin', () => {
    const claims = buildAccessTokenClaims({ id: USER_ID, role: 'admin', tokenGeneration: 3, emailVerified: true }, JTI, NOW_MS, ISSUER);
    expect(claims.role).toBe('admin');
    expect(claims.scope.split(' ').sort()).toEqual(['orders:fulfil', 'orders:read', 'orders:write', 'products:write']);
  });
});

describe('readAccessToken', () => {
  const claims = buildAccessTokenClaims({ id: USER_ID, role: 'customer', tokenGeneration: 3, emailVerified: true }, JTI, NOW_MS, ISSUER);

  it('turns verified claims into a user principal and what revocation checks', () => {
    expect(readAccessToken(claims, NOW)).toEqual({
      principal: {
        kind: 'user',
        id: USER_ID,
        role: 'customer',
        emailVerified: true,
        scopes: new Set(['orders:read', 'orders:write']),
        tokenId: JTI,
        tokenExpiresAt: NOW + ACCESS_TOKEN_TTL_SECONDS,
        tokenGeneration: 3,
      },
      revocationRef: { subject: USER_ID, tokenId: JTI, generation: 3 },
      lifetime: { iat: NOW, exp: NOW + ACCESS_TOKEN_TTL_SECONDS },
    });
  });

  it('allows an iat up to the clock tolerance ahead', () => {
    expect(readAccessToken({ ...claims, iat: NOW + CLOCK_TOLERANCE_SECONDS }, NOW)).toBeDefined();
  });

  it.each([
    ['no exp', { exp: undefined }],
    ['no iat', { iat: undefined }],
    ['an iat in the future', { iat: NOW + CLOCK_TOLERANCE_SECONDS + 1 }],
    ['an exp past, beyond the clock tolerance', { iat: NOW - ACCESS_TOKEN_TTL_SECONDS, exp: NOW - CLOCK_TOLERANCE_SECONDS }],
    ['an nbf ahead, beyond the clock tolerance', { nbf: NOW + CLOCK_TOLERANCE_SECONDS + 1 }],
    ['an nbf that is not a number', { nbf: String(NOW) }],
    ['a sub that is not user:<uuid>', { sub: USER_ID }],
    ['a client sub on a user token (a role, no client_id)', { sub: `client:${USER_ID}` }],
    ['a service client’s client_id on a user token', { client_id: 'abc' }],
    ['no client_id on a user token', { client_id: undefined }],
    ['an upper-case uuid (not one we issue)', { sub: `user:${USER_ID.toUpperCase()}` }],
    ['a jti that is not a uuid', { jti: 'abc' }],
    ['an unknown role', { role: 'root' }],
    ['a scope the role does not carry', { scope: 'orders:read products:write' }],
    ['an unknown scope', { scope: 'orders:read admin' }],
    ['a scope that is not a string', { scope: ['orders:read'] }],
    ['a lifetime longer than we issue (a token minted with a leaked key)', { exp: NOW + ACCESS_TOKEN_TTL_SECONDS + 1 }],
    ['an exp ten years out', { exp: NOW + 10 * 365 * 24 * 3600 }],
    ['no generation', { gen: undefined }],
    ['a generation that is not a whole number', { gen: 1.5 }],
    ['a negative generation', { gen: -1 }],
    ['no email_verified on a user token', { email_verified: undefined }],
    ['an email_verified that is not a boolean', { email_verified: 'true' }],
  ])('refuses %s', (_name, change) => {
    expect(readAccessToken({ ...claims, ...change }, NOW)).toBeUndefined();
  });

  it('carries an unverified address into the principal', () => {
    expect(readAccessToken({ ...claims, email_verified: false }, NOW)?.principal.emailVerified).toBe(false);
  });

  it('keeps an nbf, within the clock tolerance, in the lifetime', () => {
    expect(readAccessToken({ ...claims, nbf: NOW + CLOCK_TOLERANCE_SECONDS }, NOW)?.lifetime).toEqual({
      iat: NOW,
      nbf: NOW + CLOCK_TOLERANCE_SECONDS,
      exp: NOW + ACCESS_TOKEN_TTL_SECONDS,
    });
  });

  it('refuses a payload that is not an object', () => {
    expect(readAccessToken('claims', NOW)).toBeUndefined();
    expect(readAccessToken(null, NOW)).toBeUndefined();
  });
});

describe('withinLifetime (the rules of jsonwebtoken, on every use of a token)', () => {
  const lifetime = { iat: NOW, nbf: NOW, exp: NOW + ACCESS_TOKEN_TTL_SECONDS };

  it('holds from the clock tolerance before nbf and iat until the clock tolerance after exp, exclusive', () => {
    expect(withinLifetime(lifetime, NOW - CLOCK_TOLERANCE_SECONDS)).toBe(true);
    expect(withinLifetime(lifetime, NOW - CLOCK_TOLERANCE_SECONDS - 1)).toBe(false);
    expect(withinLifetime(lifetime, lifetime.exp + CLOCK_TOLERANCE_SECONDS - 1)).toBe(true);
    expect(withinLifetime(lifetime, lifetime.exp + CLOCK_TOLERANCE_SECONDS)).toBe(false);
  });

  it('holds an iat in the future to the tolerance even without an nbf', () => {
    expect(withinLifetime({ iat: NOW + CLOCK_TOLERANCE_SECONDS + 1, exp: NOW + ACCESS_TOKEN_TTL_SECONDS }, NOW)).toBe(false);
  });
});

describe('service client tokens', () => {
  const CLIENT_ID = 'e7b1c2d3-4f5a-4b6c-8d7e-9f0a1b2c3d4e';
  const client = { id: CLIENT_ID, clientId: 'public-client-id', scopes: ['orders:read', 'orders:fulfil'], tokenGeneration: 0 } as const;
  const claims = buildClientTokenClaims(client, JTI, NOW_MS, ISSUER);

  it('carry client_id and the granted scopes, and no role (docs/http-contract.md, Authentication)', () => {
    expect(claims).toEqual({
      iss: ISSUER,
      aud: TOKEN_AUDIENCE,
      sub: `client:${CLIENT_ID}`,
      jti: JTI,
      iat: NOW,
      exp: NOW + ACCESS_TOKEN_TTL_SECONDS,
      client_id: 'public-client-id',
      scope: 'orders:read orders:fulfil',
      gen: 0,
    });
  });

  it('read back as a client principal, revoked by the client’s own (namespaced) generation', () => {
    expect(readAccessToken(claims, NOW)).toEqual({
      principal: {
        kind: 'client',
        id: CLIENT_ID,
        scopes: new Set(['orders:read', 'orders:fulfil']),
        tokenId: JTI,
        tokenExpiresAt: NOW + ACCESS_TOKEN_TTL_SECONDS,
        tokenGeneration: 0,
      },
      revocationRef: { subject: clientRevocationSubject(CLIENT_ID), tokenId: JTI, generation: 0 },
      lifetime: { iat: NOW, exp: NOW + ACCESS_TOKEN_TTL_SECONDS },
    });
    expect(clientRevocationSubject(CLIENT_ID)).not.toBe(CLIENT_ID);
  });

  it.each([
    ['a role (it would make the client an admin)', { role: 'admin' }],
    ['an email_verified (only a user has an address)', { email_verified: true }],
    ['no client_id', { client_id: undefined }],
    ['a client_id that is not a string', { client_id: 7 }],
    ['orders:write, which no client can hold', { scope: 'orders:read orders:write' }],
    ['an empty scope', { scope: '' }],
    ['an app’s client_id (an app holds user tokens only)', { client_id: `app.${'A'.repeat(22)}` }],
  ])('refuse %s', (_name, change) => {
    expect(readAccessToken({ ...claims, ...change }, NOW)).toBeUndefined();
  });
});

describe('tokens users issued to apps (docs/decisions/0024)', () => {
  const APP_CLIENT_ID = `app.${'x'.repeat(21)}Z`;
  const claims = buildAppTokenClaims(
    { id: USER_ID, tokenGeneration: 2, emailVerified: true },
    { clientId: APP_CLIENT_ID, scopes: ['orders:read'] },
    JTI,
    NOW_MS,
    ISSUER,
  );

  it('carry the app’s client_id, the scopes granted and email_verified, and no role', () => {
    expect(claims).toEqual({
      iss: ISSUER,
      aud: TOKEN_AUDIENCE,
      sub: `user:${USER_ID}`,
      jti: JTI,
      iat: NOW,
      exp: NOW + ACCESS_TOKEN_TTL_SECONDS,
      client_id: APP_CLIENT_ID,
      scope: 'orders:read',
      gen: 2,
      email_verified: true,
    });
  });

  it('read back as the user, with no role, the app named, revoked with the user’s own tokens', () => {
    expect(readAccessToken(claims, NOW)).toEqual({
      principal: {
        kind: 'user',
        id: USER_ID,
        emailVerified: true,
        appClientId: APP_CLIENT_ID,
        scopes: new Set(['orders:read']),
        tokenId: JTI,
        tokenExpiresAt: NOW + ACCESS_TOKEN_TTL_SECONDS,
        tokenGeneration: 2,
      },
      revocationRef: { subject: USER_ID, tokenId: JTI, generation: 2 },
      lifetime: { iat: NOW, exp: NOW + ACCESS_TOKEN_TTL_SECONDS },
    });
  });

  it('accept every scope a user may delegate', () => {
    expect(readAccessToken({ ...claims, scope: 'orders:read orders:write' }, NOW)?.principal.scopes).toEqual(new Set(['orders:read', 'orders:write']));
  });

  it.each([
    ['a role (an admin’s authorization would hand the app an admin route)', { role: 'admin' }],
    ['the customer role', { role: 'customer' }],
    ['a scope only the admin role carries', { scope: 'orders:read products:write' }],
    ['orders:fulfil', { scope: 'orders:fulfil' }],
    ['no email_verified', { email_verified: undefined }],
    ['a client id shaped almost like an app’s', { client_id: `app.${'x'.repeat(21)}` }],
    ['a client sub', { sub: `client:${USER_ID}` }],
  ])('refuse %s', (_name, change) => {
    expect(readAccessToken({ ...claims, ...change }, NOW)).toBeUndefined();
  });
});
