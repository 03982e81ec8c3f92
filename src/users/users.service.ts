import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ProblemException } from '../common/http/problem.exception';
import { isUniqueViolation } from '../database/postgres-errors';
import type { UserRole } from '../security/roles';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  /** From PasswordHasher, computed before any transaction opens (hashing takes ~100 ms). */
  passwordHash: string;
  /** Set for accounts whose address someone vouches for (an operator's admin, the demo accounts); else unverified. */
  emailVerifiedAt?: Date;
}

@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  async get(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new ProblemException(404, 'User not found');
    return user;
  }

  /** Stores a new user; an email already taken is `409`. */
  async create(input: NewUser, manager?: EntityManager): Promise<User> {
    try {
      return await this.users.insert(input, manager);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProblemException(409, 'An account with this email already exists');
      throw error;
    }
  }

  /** The fields a user may change about themselves (PATCH /users/me). */
  async updateProfile(id: string, changes: { name?: string }): Promise<User> {
    if (changes.name !== undefined) await this.users.rename(id, changes.name);
    return this.get(id);
  }
}
