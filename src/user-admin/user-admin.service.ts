import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService } from '../audit/audit.service';
import { SessionsService } from '../auth/sessions.service';
import { ProblemException } from '../common/http/problem.exception';
import { User, UserStatus } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { ListUsersQuery } from './list-users.query';

@Injectable()
export class UserAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly userRows: UsersRepository,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  async list(query: ListUsersQuery): Promise<{ rows: User[]; total: number }> {
    const [rows, total] = await this.userRows.page(query);
    return { rows, total };
  }

  get(id: string): Promise<User> {
    return this.users.get(id);
  }

  /**
   * Suspends a user and, in the same transaction, revokes every token and session they hold, so
   * their next request is refused on every instance (docs/http-contract.md, Users).
   */
  async suspend(id: string, actor: AuditActor): Promise<void> {
    // An admin locking themselves out by mistake leaves nobody to undo it.
    if (actor.actorId === id) throw new ProblemException(409, 'You cannot suspend your own account');
    await this.setStatus(id, 'suspended', 'user.suspend', actor, true);
  }

  async reinstate(id: string, actor: AuditActor): Promise<void> {
    await this.setStatus(id, 'active', 'user.reinstate', actor, false);
  }

  /** Revokes one key of one user, audited with the admin as actor. */
  async revokeApiKey(userId: string, keyId: string, actor: AuditActor): Promise<void> {
    await this.apiKeys.revokeOwn(userId, keyId, actor);
  }

  private async setStatus(id: string, status: UserStatus, action: string, actor: AuditActor, revoke: boolean): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.userRows.setStatus(id, status, manager))) throw new ProblemException(404, 'User not found');
      if (revoke) await this.sessions.revokeAllForUser(id, manager);
      await this.audit.record({ ...actor, action, targetType: 'user', targetId: id, outcome: 'success' }, manager);
    });
  }
}
