import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { UserRole } from '../security/roles';
import { User, UserStatus } from './user.entity';

/** A new user's row; `email` already normalized (NFKC, then lower case: normalizeEmail in account-text.ts). */
export type NewUserRow = Pick<User, 'email' | 'name' | 'role' | 'passwordHash'> & Partial<Pick<User, 'emailVerifiedAt'>>;

/**
 * The one owner of the `users` table: every read and write of a user row is a method here. Services
 * keep the rules and the transactions, and pass their transaction's `manager` to the writes that
 * must commit with it. TypeORM's API with entity property names; a raw SQL expression only where
 * the statement must compute a value itself (`token_generation + 1`, `now()`), and then columns.
 *
 * Writes change only the columns they mean to change, in one statement, so that a check and its
 * write cannot be split by a concurrent one (docs/decisions/0009).
 */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string): Promise<User | null> {
    return this.dataSource.manager.findOneBy(User, { id });
  }

  /** A user known to exist (users are never deleted), as the caller's transaction sees it. */
  get(id: string, manager: EntityManager): Promise<User> {
    return manager.findOneByOrFail(User, { id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.dataSource.manager.findOneBy(User, { email });
  }

  count(): Promise<number> {
    return this.dataSource.manager.count(User);
  }

  /** A page of users, newest first, optionally of one status. */
  page(query: { status?: UserStatus; limit: number; offset: number }): Promise<[User[], number]> {
    return this.dataSource.manager.findAndCount(User, {
      where: query.status ? { status: query.status } : {},
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
  }

  /** Throws the database's unique violation when the email is taken (the index decides, not a racy pre-check). */
  insert(row: NewUserRow, manager: EntityManager = this.dataSource.manager): Promise<User> {
    return manager.save(manager.create(User, row));
  }

  /**
   * The new user, or undefined when an account already has the email: one INSERT … ON CONFLICT DO NOTHING, so
   * the unique index decides, and a sign-up with a taken address does the same work as one with a free address.
   */
  async insertIfNew(row: NewUserRow, manager: EntityManager): Promise<string | undefined> {
    const result = await manager.createQueryBuilder().insert().into(User).values(row).orIgnore().returning('id').execute();
    return (result.raw as Array<{ id: string }>)[0]?.id;
  }

  /** The address is verified, if it is still the user's (false otherwise). */
  async markEmailVerified(id: string, email: string, manager: EntityManager): Promise<boolean> {
    return (await manager.update(User, { id, email }, { emailVerifiedAt: () => 'COALESCE(email_verified_at, now())' })).affected === 1;
  }

  /**
   * Moves the user to a new, verified address, if they still have `fromEmail`. Throws the database's unique
   * violation when the new address was taken meanwhile.
   */
  async changeEmail(id: string, fromEmail: string, toEmail: string, manager: EntityManager): Promise<boolean> {
    return (await manager.update(User, { id, email: fromEmail }, { email: toEmail, emailVerifiedAt: () => 'now()' })).affected === 1;
  }

  async rename(id: string, name: string): Promise<void> {
    await this.dataSource.manager.update(User, { id }, { name });
  }

  /** False when there is no such user. */
  async setStatus(id: string, status: UserStatus, manager: EntityManager): Promise<boolean> {
    return (await manager.update(User, { id }, { status })).affected === 1;
  }

  async setRoleAndPassword(id: string, role: UserRole, passwordHash: string, manager: EntityManager): Promise<void> {
    await manager.update(User, { id }, { role, passwordHash });
  }

  /**
   * Sets the password only while the account is active and still in `generation`, in one UPDATE:
   * false when a revocation moved the generation on first (or the account was suspended).
   */
  async setPasswordIfCurrent(id: string, generation: number, passwordHash: string, manager: EntityManager): Promise<boolean> {
    return (await manager.update(User, { id, status: 'active', tokenGeneration: generation }, { passwordHash })).affected === 1;
  }

  /**
   * Records a login only while the account is active and still in `generation`. The UPDATE also
   * takes the user's row lock until the caller's transaction commits (see SessionsService.open).
   */
  async recordLoginIfCurrent(id: string, generation: number, manager: EntityManager): Promise<boolean> {
    return (await manager.update(User, { id, status: 'active', tokenGeneration: generation }, { lastLoginAt: () => 'now()' })).affected === 1;
  }

  /** Moves the user's token generation on, in one statement that returns the new one and when it moved. */
  async advanceTokenGeneration(id: string, manager: EntityManager): Promise<{ generation: number; revokedAt: number }> {
    const update = await manager
      .createQueryBuilder()
      .update(User)
      .set({ tokenGeneration: () => 'token_generation + 1', tokensRevokedAt: () => 'now()' })
      .where({ id })
      .returning('token_generation AS generation, extract(epoch FROM tokens_revoked_at)::int AS revoked_at')
      .execute();
    const [moved] = update.raw as Array<{ generation: number; revoked_at: number }>;
    return { generation: moved.generation, revokedAt: moved.revoked_at };
  }

  /**
   * Locks an active user's row for the rest of the caller's transaction (SELECT … FOR UPDATE), so
   * that changes made in the user's name (their API keys) are serialized; null when the user is
   * gone or suspended.
   */
  lockActive(id: string, manager: EntityManager): Promise<User | null> {
    return manager.findOne(User, { where: { id, status: 'active' }, lock: { mode: 'pessimistic_write' } });
  }
}
