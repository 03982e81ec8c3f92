import { MemoryRevocationStore } from '../../src/auth/revocation/memory-revocation-store';
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS } from '../../src/auth/token.constants';
import { describeRevocationStoreContract } from '../support/revocation-store-contract';

describe('MemoryRevocationStore', () => {
  const stores: MemoryRevocationStore[] = [];
  afterAll(() => stores.forEach((store) => store.onModuleDestroy()));

  describe('RevocationStore contract', () => {
    describeRevocationStoreContract(() => {
      const store = new MemoryRevocationStore();
      stores.push(store);
      return store;
    });
  });

  describe('memory bounded by token lifetimes', () => {
    const START = 1_800_000_000;
    let nowMs = START * 1000;
    const store = new MemoryRevocationStore(() => nowMs);
    stores.push(store);
    const token = { userId: 'u1', tokenId: 't1', issuedAt: START, expiresAt: START + ACCESS_TOKEN_TTL_SECONDS };

    it('keeps a revoked token until it would expire (plus the clock tolerance), then forgets it', async () => {
      await store.revokeTokens([token]);
      nowMs = (token.expiresAt + CLOCK_TOLERANCE_SECONDS) * 1000 - 1;
      expect(await store.isRevoked(token)).toBe(true);
      nowMs += 1;
      expect(await store.isRevoked(token)).toBe(false);
    });

    it('keeps a cutoff as long as a token issued before it can live', async () => {
      nowMs = START * 1000;
      await store.revokeIssuedBefore('u2', START);
      const last = { userId: 'u2', tokenId: 't2', issuedAt: START - 1 };
      nowMs = (START + ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000 - 1;
      expect(await store.isRevoked(last)).toBe(true);
    });

    it('sweeps expired entries out', async () => {
      nowMs = START * 1000;
      await store.revokeTokens([{ ...token, tokenId: 't3' }]);
      expect(store.size).toBeGreaterThan(0);
      nowMs = (START + 10 * ACCESS_TOKEN_TTL_SECONDS) * 1000;
      store.sweep();
      expect(store.size).toBe(0);
    });
  });
});
