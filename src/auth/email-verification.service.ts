import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { UsersRepository } from '../users/users.repository';
import { invalidLink } from './account-links/account-link';
import { ACCOUNT_MAIL } from './account-links/account-mail-kinds';
import { AccountTokensRepository } from './account-links/account-tokens.repository';
import { AddressMails } from './account-links/address-mails';
import { AccountMailThrottle } from './login-throttle';

/** Proving an address: the link of the sign-up mail, and a new one on request. */
@Injectable()
export class EmailVerificationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tokens: AccountTokensRepository,
    private readonly users: UsersRepository,
    private readonly addressMails: AddressMails,
    private readonly throttle: AccountMailThrottle,
    private readonly audit: AuditService,
  ) {}

  /** Redeems a verification link: the address it was mailed to is verified, if it is still the user's. */
  async verify(token: string, origin: HttpOrigin, report: RateLimitReport): Promise<void> {
    await this.throttle.limitAddress(origin.ip, report, async () => {
      const verified = await this.dataSource.transaction(async (manager) => {
        const redeemed = await this.tokens.redeem(token, 'email_verification', manager);
        if (!redeemed || !(await this.users.markEmailVerified(redeemed.userId, redeemed.userEmail, manager))) return undefined;
        await this.audit.record(
          {
            ...origin,
            actorType: 'user',
            actorId: redeemed.userId,
            action: 'auth.email_verify',
            targetType: 'user',
            targetId: redeemed.userId,
            outcome: 'success',
          },
          manager,
        );
        return redeemed;
      });
      if (!verified) {
        await this.audit.record({
          ...origin,
          actorType: 'anonymous',
          actorId: null,
          action: 'auth.email_verify',
          targetType: null,
          targetId: null,
          outcome: 'failure',
        });
        throw invalidLink();
      }
    });
  }

  /**
   * Queues a new verification mail for the address; whether it is sent (an unverified account has the address)
   * is decided by the mail's composer, after this answer, so the answer is the same for every address.
   */
  async resend(email: string, origin: HttpOrigin, report: RateLimitReport): Promise<void> {
    await this.throttle.limit(origin.ip, email, report, () =>
      this.addressMails.queue(ACCOUNT_MAIL.emailVerification, email, 'auth.verification_resend', origin),
    );
  }
}
