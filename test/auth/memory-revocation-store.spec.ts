import { MemoryRevocationStore } from '../../src/auth/revocation/memory-revocation-store';
import { SystemClock } from '../../src/common/clock';
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS } from '../../src/auth/token.constants';
import { describeRevocationStoreContract } from '../support/revocation-store-contract';

describe('MemoryRevocationStore', () => {
  const stores: MemoryRevocationStore[] = [];
  afterAll(() => stores.forEach((store) => store.onModuleDestroy()));

  describe('RevocationStore contract', () => {
    describeRevocationStoreContract(() => {
      const store = new MemoryRevocationStore(new SystemClock());
      stores.push(store);
      return store;
    });
  });

  describe('memory bounded by token lifetimes', () => {
    const START = 1_800_000_000;
    let nowMs = START * 1000;
    const store = new MemoryRevocationStore({ now: () => new Date(nowMs) });
    stores.push(store);
    const token = { subject: 'u1', tokenId: 't1', generation: 0, expiresAt: START + ACCESS_TOKEN_TTL_SECONDS };
    beforeAll(() => store.load({ tokens: [], generations: [] }));

    it('keeps a revoked token until it would expire (plus the clock tolerance), then forgets it', async () => {
      await store.revokeTokens([token]);
      nowMs = (token.expiresAt + CLOCK_TOLERANCE_SECONDS) * 1000 - 1;
      expect((await store.check(token)).verdict).toBe('revoked');
      nowMs += 1;
      expect((await store.check(token)).verdict).toBe('valid');
    });

    it('keeps a generation as long as a token of an earlier one can live', async () => {
      nowMs = START * 1000;
      await store.revokeGenerations({ subject: 'u2', generation: 1, revokedAt: START });
      const last = { subject: 'u2', tokenId: 't2', generation: 0 };
      nowMs = (START + ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS) * 1000 - 1;
      expect((await store.check(last)).verdict).toBe('revoked');
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
