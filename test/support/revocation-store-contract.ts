import { randomUUID } from 'node:crypto';
import { CheckedToken, RevocationStore, RevokedToken } from '../../src/auth/revocation/revocation-store';
import { CLOCK_TOLERANCE_SECONDS } from '../../src/auth/token.constants';

/**
 * The behaviour every RevocationStore must have, run against each implementation. `makeStore` gives
 * a store with no data at all, as after a start or a loss; most tests load an empty record first.
 */
export function describeRevocationStoreContract(makeStore: () => RevocationStore): void {
  let store: RevocationStore;
  const now = () => Math.floor(Date.now() / 1000);
  const token = (subject: string = randomUUID(), generation = 0): CheckedToken & RevokedToken => ({
    subject,
    tokenId: randomUUID(),
    generation,
    expiresAt: now() + 900,
  });

  beforeEach(async () => {
    store = makeStore();
    await store.load({ tokens: [], generations: [] });
  });

  it('answers unknown until a record is loaded, then from the record', async () => {
    const empty = makeStore();
    const [revoked, kept] = [token(), token()];
    expect((await empty.check(revoked)).verdict).toBe('unknown');
    await empty.load({ tokens: [revoked], generations: [] });
    expect((await empty.check(revoked)).verdict).toBe('revoked');
    expect((await empty.check(kept)).verdict).toBe('valid');
  });

  it('revokes exactly the tokens named', async () => {
    const revoked = token();
    const sameSubject = token(revoked.subject);
    const sameIdOtherSubject = { ...token(), tokenId: revoked.tokenId };
    expect((await store.check(revoked)).verdict).toBe('valid');
    await store.revokeTokens([revoked]);
    expect((await store.check(revoked)).verdict).toBe('revoked');
    expect((await store.check(sameSubject)).verdict).toBe('valid');
    expect((await store.check(sameIdOtherSubject)).verdict).toBe('valid');
  });

  it('revokes several tokens in one call, and accepts none', async () => {
    const tokens = [token(), token(), token()];
    await store.revokeTokens(tokens);
    await store.revokeTokens([]);
    for (const revoked of tokens) expect((await store.check(revoked)).verdict).toBe('revoked');
  });

  it('does not keep a token that has already expired', async () => {
    const expired = { ...token(), expiresAt: now() - CLOCK_TOLERANCE_SECONDS - 1 };
    await store.revokeTokens([expired]);
    expect((await store.check(expired)).verdict).toBe('valid');
  });

  it('voids a subject’s tokens of earlier generations, exactly, and only that subject’s', async () => {
    const subject = randomUUID();
    await store.revokeGenerations({ subject, generation: 2, revokedAt: now() });
    expect((await store.check(token(subject, 1))).verdict).toBe('revoked');
    expect((await store.check(token(subject, 2))).verdict).toBe('valid');
    expect((await store.check(token(randomUUID(), 1))).verdict).toBe('valid');
  });

  it('never lowers a generation: of two revocations racing, the later one stands', async () => {
    const subject = randomUUID();
    await store.revokeGenerations({ subject, generation: 3, revokedAt: now() });
    await store.revokeGenerations({ subject, generation: 2, revokedAt: now() });
    expect((await store.check(token(subject, 2))).verdict).toBe('revoked');
  });

  it('loads generations with the tokens', async () => {
    const fresh = makeStore();
    const subject = randomUUID();
    await fresh.load({ tokens: [], generations: [{ subject, generation: 1, revokedAt: now() }] });
    expect((await fresh.check(token(subject, 0))).verdict).toBe('revoked');
    expect((await fresh.check(token(subject, 1))).verdict).toBe('valid');
  });
}
