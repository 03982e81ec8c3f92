import { Injectable, OnModuleInit } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Semaphore } from '../common/semaphore';

/** OWASP Password Storage Cheat Sheet's argon2id minimum, as docs/http-contract.md requires: m = 19 MiB, t = 2, p = 1. */
export const ARGON2_OPTIONS = { type: argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

/**
 * argon2id hashing. argon2's native binding runs on libuv's thread pool, so hashing never blocks the
 * event loop: other requests are served while a login is being checked.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash: string;
  // Each hash keeps a core busy for ~100 ms; libuv would run four at once and starve the event loop
  // on a small machine (bench scenario 7). Leave one core for everything else; the rest queue.
  private readonly slots = new Semaphore(Math.max(1, availableParallelism() - 1));

  /** A hash of a random password nobody knows, computed once at startup (see `verify`). */
  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(32).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => hash(normalize(password), ARGON2_OPTIONS));
  }

  /**
   * Without a stored hash (unknown email) the password is still checked, against the dummy hash, so
   * both failures cost the same and response times do not tell which emails have an account
   * (OWASP Authentication Cheat Sheet).
   */
  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    try {
      // Unknown emails queue for the same slots, so they cost the same under load too.
      const matches = await this.slots.run(() => verify(storedHash ?? this.dummyHash, normalize(password)));
      return matches && storedHash !== undefined;
    } catch {
      // A corrupt stored hash lets nobody in.
      return false;
    }
  }
}

/** NIST SP 800-63B §5.1.1.2: Unicode passwords are normalized (NFKC), so one typed differently still matches. */
function normalize(password: string): string {
  return password.normalize('NFKC');
}
