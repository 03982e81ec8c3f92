import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { ProblemException } from '../common/http/problem.exception';
import { invalidCredentials } from '../security/security-problems';
import type { UserToken } from '../security/require-user';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { PasswordHasher } from '../users/password-hasher';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { RegisterDto } from './dto/register.dto';
import { AccountMailThrottle, LoginThrottle } from './login-throttle';
import { MailOutbox } from '../mail/mail-outbox';
import { ACCOUNT_MAIL } from './account-links/account-mail-kinds';
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
    private readonly mailThrottle: AccountMailThrottle,
    private readonly outbox: MailOutbox,
  ) {}

  /**
   * Always a customer: the role is not the client's to choose. A new address gets an account and a verification
   * mail; an address that has an account already gets a mail telling its owner, and nothing else changes. Both
   * do the same work (one argon2 hash, one INSERT that the unique index answers, one queued mail, one audit row)
   * and get the same 202, so the answer does not tell which addresses have an account (OWASP ASVS V6.3.7).
   */
  async register(input: RegisterDto, origin: HttpOrigin, report: RateLimitReport): Promise<void> {
    await this.mailThrottle.limit(origin.ip, input.email, report, async () => {
      // Hashed before the transaction opens, so no database connection waits on argon2.
      const passwordHash = await this.hasher.hash(input.password);
      await this.dataSource.transaction(async (manager) => {
        const userId = await this.userRows.insertIfNew({ email: input.email, name: input.name, role: 'customer', passwordHash }, manager);
        const mail = userId ? ACCOUNT_MAIL.emailVerification : ACCOUNT_MAIL.signupWithExistingAddress;
        await this.outbox.enqueue({ kind: mail, recipient: input.email, userId: userId ?? null }, manager);
        const actor = userId ? ({ actorType: 'user', actorId: userId } as const) : ({ actorType: 'anonymous', actorId: null } as const);
        await this.audit.record(
          { ...origin, ...actor, action: 'auth.register', targetType: 'user', targetId: userId ?? null, outcome: userId ? 'success' : 'failure' },
          manager,
        );
      });
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
      // The operator vouches for the address: an admin never waits for a verification mail.
      const user = existing ?? (await this.users.create({ email, name: 'Administrator', role: 'admin', passwordHash, emailVerifiedAt: new Date() }, manager));
      if (existing) {
        await this.userRows.setRoleAndPassword(existing.id, 'admin', passwordHash, manager);
        await this.userRows.markEmailVerified(existing.id, existing.email, manager);
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
