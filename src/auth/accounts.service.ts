import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, RequestOrigin } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { ProblemException } from '../common/http/problem.exception';
import { invalidCredentials } from '../security/security-problems';
import type { UserToken } from '../security/require-user';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { PasswordHasher } from '../users/password-hasher';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { RegisterDto } from './dto/register.dto';
import { LoginThrottle } from './login-throttle';
import { SessionsService } from './sessions.service';

/** Account credentials: sign-up, password change, and the operator's create-admin. */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly userRows: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
  ) {}

  /** Always a customer: the role is not the client's to choose. */
  async register(input: RegisterDto, origin: RequestOrigin): Promise<User> {
    // Hashed before the transaction opens, so no database connection waits on argon2.
    const passwordHash = await this.hasher.hash(input.password);
    return this.dataSource.transaction(async (manager) => {
      const user = await this.users.create({ email: input.email, name: input.name, role: 'customer', passwordHash }, manager);
      await this.audit.record(
        { ...origin, actorType: 'user', actorId: user.id, action: 'auth.register', targetType: 'user', targetId: user.id, outcome: 'success' },
        manager,
      );
      return user;
    });
  }

  /**
   * Needs the current password, checked under the login limits (a stolen access token must not
   * become a way to guess it), and ends every session of the user, on every instance.
   */
  async changePassword(token: UserToken, input: ChangePasswordDto, origin: HttpOrigin, report: RateLimitReport): Promise<void> {
    const user = await this.users.get(token.userId);
    const event = { ...origin, actorType: 'user', actorId: user.id, action: 'auth.password_change', targetType: 'user', targetId: user.id } as const;
    await this.throttle.limit(origin.ip, user.email, report, async (attempt) => {
      if (!(await this.hasher.verify(user.passwordHash, input.currentPassword))) {
        await this.audit.record({ ...event, outcome: 'failure' });
        throw new ProblemException(403, 'The current password is not correct');
      }
      await attempt.succeeded();
    });
    const passwordHash = await this.hasher.hash(input.newPassword);
    await this.dataSource.transaction(async (manager) => {
      // Only if the token the request came with is still current: of two changes racing (the owner's
      // and a thief's who knows the old password), the one that commits second was revoked by the
      // first and must not set its password after it (docs/decisions/0009).
      if (!(await this.userRows.setPasswordIfCurrent(user.id, token.generation, passwordHash, manager))) throw invalidCredentials(true);
      await this.sessions.revokeAllForUser(user.id, manager);
      await this.audit.record({ ...event, outcome: 'success' }, manager);
    });
  }

  /**
   * `npm run create-admin`: makes the account an admin with this password, creating it if needed.
   * An existing account's sessions end, as after any password change.
   */
  async createOrPromoteAdmin(email: string, password: string): Promise<'created' | 'promoted'> {
    const passwordHash = await this.hasher.hash(password);
    const existing = await this.userRows.findByEmail(email);
    await this.dataSource.transaction(async (manager) => {
      const user = existing ?? (await this.users.create({ email, name: 'Administrator', role: 'admin', passwordHash }, manager));
      if (existing) {
        await this.userRows.setRoleAndPassword(existing.id, 'admin', passwordHash, manager);
        await this.sessions.revokeAllForUser(existing.id, manager);
      }
      const action = existing ? 'user.promote_admin' : 'user.create_admin';
      await this.audit.record(
        { actorType: 'system', actorId: null, action, targetType: 'user', targetId: user.id, outcome: 'success', ip: null, requestId: null },
        manager,
      );
    });
    return existing ? 'promoted' : 'created';
  }
}
