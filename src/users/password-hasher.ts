import { Injectable, OnModuleInit } from '@nestjs/common';
import { argon2id, hash, verify } from 'argon2';
import { randomBytes } from 'node:crypto';

/** OWASP Password Storage Cheat Sheet's argon2id minimum, as API.md requires: m = 19 MiB, t = 2, p = 1. */
export const ARGON2_OPTIONS = { type: argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

/**
 * argon2id hashing. argon2's native binding runs on libuv's thread pool, so hashing never blocks the
 * event loop: other requests are served while a login is being checked.
 */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  private dummyHash: string;

  /** A hash of a random password nobody knows, computed once at startup (see `verify`). */
  async onModuleInit(): Promise<void> {
    this.dummyHash = await this.hash(randomBytes(32).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return hash(normalize(password), ARGON2_OPTIONS);
  }

  /**
   * Without a stored hash (unknown email) the password is still checked, against the dummy hash, so
   * both failures cost the same and response times do not tell which emails have an account
   * (OWASP Authentication Cheat Sheet).
   */
  async verify(storedHash: string | undefined, password: string): Promise<boolean> {
    try {
      const matches = await verify(storedHash ?? this.dummyHash, normalize(password));
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
