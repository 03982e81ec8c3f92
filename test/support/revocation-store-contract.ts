import { randomUUID } from 'node:crypto';
import { RevocationStore } from '../../src/auth/revocation/revocation-store';
import { CLOCK_TOLERANCE_SECONDS } from '../../src/auth/token.constants';

/**
 * The behaviour every RevocationStore must have, run against each implementation. Every token here
 * is issued now or later, as real ones are: a store may refuse tokens issued before its data began
 * (the Redis store does, since it cannot know whether they were revoked).
 */
export function describeRevocationStoreContract(makeStore: () => RevocationStore): void {
  let store: RevocationStore;
  const now = () => Math.floor(Date.now() / 1000);
  const token = (userId = randomUUID()) => ({ userId, tokenId: randomUUID(), issuedAt: now(), expiresAt: now() + 900 });

  beforeEach(() => (store = makeStore()));

  it('revokes exactly the tokens named', async () => {
    const revoked = token();
    const sameUser = token(revoked.userId);
    const sameIdOtherUser = { ...token(), tokenId: revoked.tokenId };
    expect(await store.isRevoked(revoked)).toBe(false);
    await store.revokeTokens([revoked]);
    expect(await store.isRevoked(revoked)).toBe(true);
    expect(await store.isRevoked(sameUser)).toBe(false);
    expect(await store.isRevoked(sameIdOtherUser)).toBe(false);
  });

  it('revokes several tokens in one call, and accepts none', async () => {
    const tokens = [token(), token(), token()];
    await store.revokeTokens(tokens);
    await store.revokeTokens([]);
    for (const revoked of tokens) expect(await store.isRevoked(revoked)).toBe(true);
  });

  it('does not keep a token that has already expired', async () => {
    const expired = { ...token(), expiresAt: now() - CLOCK_TOLERANCE_SECONDS - 1 };
    await store.revokeTokens([expired]);
    expect(await store.isRevoked(expired)).toBe(false);
  });

  it('voids a user’s tokens issued before the cutoff, and only those', async () => {
    const userId = randomUUID();
    const cutoff = now() + 1;
    await store.revokeIssuedBefore(userId, cutoff);
    expect(await store.isRevoked({ ...token(userId), issuedAt: cutoff - 1 })).toBe(true);
    expect(await store.isRevoked({ ...token(userId), issuedAt: cutoff })).toBe(false);
    expect(await store.isRevoked({ ...token(), issuedAt: cutoff - 1 })).toBe(false);
  });

  it('moves the cutoff with each revocation', async () => {
    const userId = randomUUID();
    await store.revokeIssuedBefore(userId, now());
    await store.revokeIssuedBefore(userId, now() + 100);
    expect(await store.isRevoked({ ...token(userId), issuedAt: now() + 50 })).toBe(true);
  });
}
