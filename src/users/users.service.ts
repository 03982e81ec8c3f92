import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ProblemException } from '../common/http/problem.exception';
import { isUniqueViolation } from '../database/postgres-errors';
import type { UserRole } from '../security/roles';
import { User } from './user.entity';

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  /** From PasswordHasher, computed before any transaction opens (hashing takes ~100 ms). */
  passwordHash: string;
}

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** `email` must already be normalized (NFKC, then lower case: normalizeEmail in account-text.ts), as the DTOs do. */
  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email });
  }

  async get(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new ProblemException(404, 'User not found');
    return user;
  }

  /** Stores a new user; an email already taken is `409`. */
  async create(input: NewUser, manager: EntityManager = this.users.manager): Promise<User> {
    try {
      return await manager.save(manager.create(User, input));
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProblemException(409, 'An account with this email already exists');
      throw error;
    }
  }

  /** The fields a user may change about themselves (PATCH /users/me). */
  async updateProfile(id: string, changes: { name?: string }): Promise<User> {
    if (changes.name !== undefined) await this.users.update({ id }, { name: changes.name });
    return this.get(id);
  }

  count(): Promise<number> {
    return this.users.count();
  }
}
