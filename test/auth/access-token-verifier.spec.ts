import { AccessTokenIssuer } from '../../src/auth/access-token.issuer';
import { AccessTokenVerifier } from '../../src/auth/access-token-verifier';
import { KeyRing } from '../../src/auth/key-ring';
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS } from '../../src/auth/token.constants';
import { SystemClock } from '../../src/common/clock';
import { loadConfig } from '../../src/config/app-config';
import { newSigningKey } from '../support/test-secrets';

/**
 * The verified-token cache (docs/design.md, Performance): a token's signature is verified once, and the result is
 * used again only while the token has not expired and the key that verified it still verifies.
 */
describe('AccessTokenVerifier', () => {
  const config = loadConfig({ NODE_ENV: 'test' });
  const signingKey = newSigningKey();
  let keys: KeyRing;
  let issuer: AccessTokenIssuer;
  let verifier: AccessTokenVerifier;
  let keyLookups: jest.SpyInstance;

  const userToken = () => issuer.issue({ id: '0b9a4c0e-8f4a-4d2e-9c1a-2f6f1d2b3c4d', role: 'customer', tokenGeneration: 0, emailVerified: true }).token;

  beforeEach(() => {
    keys = new KeyRing({ current: signingKey });
    issuer = new AccessTokenIssuer(keys, config, new SystemClock());
    verifier = new AccessTokenVerifier(keys, config.publicUrl, 2);
    // Called on every verification of a signature, never when a kept result is used.
    keyLookups = jest.spyOn(keys, 'verificationKeyFor');
  });
  afterEach(() => jest.useRealTimers());

  it('verifies a token once, then uses the result while the token lives', async () => {
    const token = userToken();
    const first = await verifier.verify(token);
    expect(first?.principal).toEqual(expect.objectContaining({ kind: 'user', role: 'customer' }));
    expect(await verifier.verify(token)).toBe(first);
    expect(keyLookups).toHaveBeenCalledTimes(1);
  });

  it('keeps a token by the whole of it: the same header and claims under another signature are verified afresh, and a refusal is not kept', async () => {
    const token = userToken();
    await verifier.verify(token);
    const [header, payload] = token.split('.');
    const forged = `${header}.${payload}.${'A'.repeat(342)}`;
    expect(await verifier.verify(forged)).toBeUndefined();
    expect(await verifier.verify(forged)).toBeUndefined();
    expect(keyLookups).toHaveBeenCalledTimes(3);
  });

  it('refuses a kept token once it has expired (exp plus the clock tolerance)', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate'] });
    const token = userToken();
    const verified = await verifier.verify(token);
    jest.setSystemTime((verified!.lifetime.exp + CLOCK_TOLERANCE_SECONDS) * 1000 - 1000);
    expect(await verifier.verify(token)).toBe(verified);
    jest.setSystemTime((verified!.lifetime.exp + CLOCK_TOLERANCE_SECONDS) * 1000);
    expect(await verifier.verify(token)).toBeUndefined();
    expect(verified!.lifetime.exp - verified!.lifetime.iat).toBe(ACCESS_TOKEN_TTL_SECONDS);
  });

  it('refuses a kept token once the key that signed it is retired', async () => {
    const token = userToken();
    expect(await verifier.verify(token)).toBeDefined();
    // A rotation that keeps the key as the previous one keeps its tokens...
    const next = newSigningKey();
    keys.replace({ current: next, previous: signingKey });
    expect(await verifier.verify(token)).toBeDefined();
    // ...and the next one retires it.
    keys.replace({ current: newSigningKey(), previous: next });
    expect(await verifier.verify(token)).toBeUndefined();
  });

  it('keeps at most as many tokens as it is bounded to, forgetting the one verified longest ago', async () => {
    const tokens = [userToken(), userToken(), userToken()];
    for (const token of tokens) await verifier.verify(token);
    expect(keyLookups).toHaveBeenCalledTimes(3);
    await verifier.verify(tokens[2]);
    await verifier.verify(tokens[1]);
    expect(keyLookups).toHaveBeenCalledTimes(3);
    await verifier.verify(tokens[0]);
    expect(keyLookups).toHaveBeenCalledTimes(4);
  });

  it('shares one principal between the requests that send a token, frozen', async () => {
    const token = userToken();
    const principal = (await verifier.verify(token))!.principal;
    expect(Object.isFrozen(principal)).toBe(true);
  });
});
