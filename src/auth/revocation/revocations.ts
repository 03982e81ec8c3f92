import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { failClosed } from '../../security/security-problems';
import type { ScriptedHit } from '../../throttling/hit-counter';
import { RevocationLedger } from './revocation-ledger';
import {
  CheckedToken,
  REVOCATION_STORE,
  RevocationCheck,
  RevocationStore,
  RevocationStoreUnavailableError,
  RevokedGenerations,
  RevokedToken,
} from './revocation-store';

/** A subject's generation just moved on in Postgres: the new one, and when (a JWT NumericDate). */
export type GenerationMove = Omit<RevokedGenerations, 'subject'>;

/**
 * Revocation as the rest of the app sees it. Postgres records what was revoked (the callers write it
 * in their transactions); the store is its fast copy, checked in one round trip per request. A store
 * that does not hold the whole record (the process just started, or Redis lost its data) is
 * reloaded from Postgres before any answer is trusted, so a lost Redis brings no revoked token back
 * and logs nobody out (docs/decisions/0009).
 */
@Injectable()
export class Revocations implements OnApplicationBootstrap {
  private reloading?: Promise<void>;

  constructor(
    @Inject(REVOCATION_STORE) private readonly store: RevocationStore,
    private readonly ledger: RevocationLedger,
  ) {}

  /** Loaded at boot, so the first request does not wait for it; a failure here is retried by the first check. */
  async onApplicationBootstrap(): Promise<void> {
    await this.reload().catch(() => undefined);
  }

  revokeTokens(tokens: RevokedToken[]): Promise<void> {
    return this.store.revokeTokens(tokens);
  }

  /**
   * Voids every token `subject` holds until now, on every instance (password change, suspension,
   * deletion). `advance` moves the subject's generation on in Postgres, the authority, inside the
   * caller's transaction; then the store learns the new generation. If the store cannot be written,
   * this fails closed (503) and the caller's transaction rolls back: rather a refused request than a
   * revocation Postgres records while the old tokens still work.
   */
  async advanceGeneration(subject: string, advance: () => Promise<GenerationMove>): Promise<void> {
    const moved = await advance();
    await failClosed(() => this.store.revokeGenerations({ subject, ...moved }));
  }

  /**
   * Whether the token is `revoked` or `valid` (never `unknown`), in one round trip to the store; with the
   * principal's rate-limit `hit`, counted in that same trip if the token is valid (RevocationStore.check).
   */
  async check(token: CheckedToken, hit?: ScriptedHit): Promise<RevocationCheck> {
    let check = await this.store.check(token, hit);
    if (check.verdict === 'unknown') {
      await this.reload();
      check = await this.store.check(token, hit);
    }
    // Still not whole (lost again at once): fail closed rather than guess.
    if (check.verdict === 'unknown') throw new RevocationStoreUnavailableError('the store lost its data again while being reloaded');
    return check;
  }

  /** Single-flight: every check that finds the store not whole waits for one reload. */
  private reload(): Promise<void> {
    this.reloading ??= this.ledger
      .read()
      .then((record) => this.store.load(record))
      .catch((error: unknown) => {
        throw new RevocationStoreUnavailableError(error);
      })
      .finally(() => (this.reloading = undefined));
    return this.reloading;
  }
}
