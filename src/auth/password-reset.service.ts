import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { MailOutbox } from '../mail/mail-outbox';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { PasswordHasher } from '../users/password-hasher';
import { UsersRepository } from '../users/users.repository';
import { invalidLink } from './account-links/account-link';
import { ACCOUNT_MAIL } from './account-links/account-mail-kinds';
import { AccountTokensRepository } from './account-links/account-tokens.repository';
import { AddressMails } from './account-links/address-mails';
import { AccountMailThrottle } from './login-throttle';
import { SessionsService } from './sessions.service';

/** "Forgot password": a reset link by mail, and the new password it lets the user set (OWASP Forgot Password Cheat Sheet). */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: AccountTokensRepository,
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly addressMails: AddressMails,
    private readonly outbox: MailOutbox,
    private readonly throttle: AccountMailThrottle,
    private readonly audit: AuditService,
  ) {}

  /** Queues a reset mail; it is sent only if an active account has the address, which this answer never tells. */
  async request(email: string, origin: HttpOrigin, report: RateLimitReport): Promise<void> {
    await this.throttle.limit(origin.ip, email, report, () =>
      this.addressMails.queue(ACCOUNT_MAIL.passwordReset, email, 'auth.password_reset_request', origin),
    );
  }

  /**
   * Redeems a reset link with a new password. As a password change does, it ends every session, access token and
   * API key of the user, on every instance; the address is verified too (the link reached it); the owner is told
   * by mail. All in one transaction, so a reset either happens whole or not at all.
   */
  async confirm(token: string, newPassword: string, origin: HttpOrigin, report: RateLimitReport): Promise<void> {
    await this.throttle.limitAddress(origin.ip, report, async () => {
      // Hashed before the transaction opens, so no database connection waits on argon2.
      const passwordHash = await this.hasher.hash(newPassword);
      const reset = await this.dataSource.transaction(async (manager) => {
        const redeemed = await this.tokens.redeem(token, 'password_reset', manager);
        // The generation again, with the row lock: a password change that committed since the redemption read
        // the user voids this link too (its transaction rolls back, the link stays unused and void).
        if (!redeemed || !(await this.users.setPasswordIfCurrent(redeemed.userId, redeemed.tokenGeneration, passwordHash, manager))) return undefined;
        await this.users.markEmailVerified(redeemed.userId, redeemed.userEmail, manager);
        await this.sessions.revokeAllForUser(redeemed.userId, manager);
        await this.outbox.enqueue({ kind: ACCOUNT_MAIL.passwordWasReset, recipient: redeemed.userEmail, userId: redeemed.userId }, manager);
        await this.audit.record(
          {
            ...origin,
            actorType: 'user',
            actorId: redeemed.userId,
            action: 'auth.password_reset',
            targetType: 'user',
            targetId: redeemed.userId,
            outcome: 'success',
          },
          manager,
        );
        return redeemed;
      });
      if (!reset) {
        await this.audit.record({
          ...origin,
          actorType: 'anonymous',
          actorId: null,
          action: 'auth.password_reset',
          targetType: null,
          targetId: null,
          outcome: 'failure',
        });
        throw invalidLink();
      }
    });
  }
}
