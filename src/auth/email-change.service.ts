import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { ProblemException } from '../common/http/problem.exception';
import { isUniqueViolation } from '../database/postgres-errors';
import { MailOutbox } from '../mail/mail-outbox';
import type { UserToken } from '../security/require-user';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import type { RateLimitState } from '../throttling/rate-limiter';
import { PasswordHasher } from '../users/password-hasher';
import { UsersRepository } from '../users/users.repository';
import { invalidLink } from './account-links/account-link';
import { ACCOUNT_MAIL } from './account-links/account-mail-kinds';
import { AccountTokensRepository } from './account-links/account-tokens.repository';
import { AccountMailThrottle, LoginThrottle } from './login-throttle';

/**
 * Changing the address of an account: asked for with the current password (a stolen access token alone must
 * not move the account to the thief's mailbox), done only when the link mailed to the new address is used, and
 * told to the old address at once, so its owner learns of it while it can still be stopped.
 */
@Injectable()
export class EmailChangeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: AccountTokensRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly outbox: MailOutbox,
    private readonly mailThrottle: AccountMailThrottle,
    private readonly loginThrottle: LoginThrottle,
    private readonly audit: AuditService,
  ) {}

  async request(token: UserToken, newEmail: string, currentPassword: string, origin: HttpOrigin, report: RateLimitReport): Promise<void> {
    const user = await this.users.findById(token.userId);
    if (!user) throw new ProblemException(404, 'User not found');
    if (newEmail === user.email) throw new ProblemException(400, 'This is already the address of your account');
    const event = { ...origin, actorType: 'user', actorId: user.id, action: 'user.email_change_request', targetType: 'user', targetId: user.id } as const;
    // Both limits report into one set of RateLimit fields.
    const states: RateLimitState[] = [];
    const collect: RateLimitReport = (reported) => states.push(...reported);
    try {
      await this.mailThrottle.limit(origin.ip, newEmail, collect, () =>
        // The password is checked under the login limits, as for a password change.
        this.loginThrottle.limit(origin.ip, user.email, collect, async (attempt) => {
          if (!(await this.hasher.verify(user.passwordHash, currentPassword))) {
            await this.audit.record({ ...event, outcome: 'failure' });
            throw new ProblemException(403, 'The current password is not correct');
          }
          await attempt.succeeded();
          await this.dataSource.transaction(async (manager) => {
            const fromEmail = user.email;
            // The generation of the request's token: a password change or sign-out everywhere before the mail
            // is written (it is written later, by the worker) must void the request, not only later links.
            const params = { fromEmail, generation: String(token.generation) };
            await this.outbox.enqueue({ kind: ACCOUNT_MAIL.emailChange, recipient: newEmail, userId: user.id, params }, manager);
            await this.outbox.enqueue({ kind: ACCOUNT_MAIL.emailChangeRequested, recipient: fromEmail, userId: user.id, params: { newEmail } }, manager);
            await this.audit.record({ ...event, outcome: 'success' }, manager);
          });
        }),
      );
    } finally {
      report(states);
    }
  }

  /** Redeems the link mailed to the new address: the account moves to it, verified. */
  async confirm(token: string, origin: HttpOrigin, report: RateLimitReport): Promise<void> {
    await this.mailThrottle.limitAddress(origin.ip, report, async () => {
      const changed = await this.dataSource.transaction(async (manager) => {
        const redeemed = await this.tokens.redeem(token, 'email_change', manager);
        if (!redeemed?.newEmail || !(await this.moveAddress(redeemed.userId, redeemed.userEmail, redeemed.newEmail, manager))) return undefined;
        await this.audit.record(
          {
            ...origin,
            actorType: 'user',
            actorId: redeemed.userId,
            action: 'user.email_change',
            targetType: 'user',
            targetId: redeemed.userId,
            outcome: 'success',
          },
          manager,
        );
        return redeemed;
      });
      if (!changed) {
        await this.audit.record({
          ...origin,
          actorType: 'anonymous',
          actorId: null,
          action: 'user.email_change',
          targetType: null,
          targetId: null,
          outcome: 'failure',
        });
        throw invalidLink();
      }
    });
  }

  /** The new address may have been taken since the link was sent: that is a 409, and nothing changes. */
  private async moveAddress(userId: string, fromEmail: string, toEmail: string, manager: Parameters<UsersRepository['changeEmail']>[3]): Promise<boolean> {
    try {
      return await this.users.changeEmail(userId, fromEmail, toEmail, manager);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProblemException(409, 'An account with this email already exists');
      throw error;
    }
  }
}
