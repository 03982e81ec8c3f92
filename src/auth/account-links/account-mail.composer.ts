import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import type { MailComposer, MailMessage } from '../../mail/mail-message';
import { User } from '../../users/user.entity';
import { UsersRepository } from '../../users/users.repository';
import { AccountLinkPurpose, accountLink } from './account-link';
import { ACCOUNT_MAILS, MailContent, quotedUserAgent, renderMail } from './account-mail.templates';
import { ACCOUNT_MAIL } from './account-mail-kinds';
import { AccountTokensRepository } from './account-tokens.repository';

type QueuedAccountMail = Parameters<MailComposer['compose']>[0];

/**
 * Writes the account mails when the outbox worker sends them. Whether a mail is sent at all is decided here, not
 * when it was asked for: a reset for an address without an account was answered 202 like any other, and only here
 * is it dropped, so nothing in the answer (status, body, headers, time) tells whether the address has one. The
 * token of a link is made here too, just before its mail goes: it is in the mail and, by hash, in account_tokens,
 * and never in the outbox.
 */
@Injectable()
export class AccountMailComposer implements MailComposer {
  readonly kinds = Object.values(ACCOUNT_MAIL);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly tokens: AccountTokensRepository,
    private readonly config: AppConfig,
  ) {}

  async compose(mail: QueuedAccountMail): Promise<MailMessage | undefined> {
    const user = mail.userId ? await this.users.findById(mail.userId) : await this.users.findByEmail(mail.recipient);
    // Only ever to an active account's own address, or to the new address it asked for.
    if (!user || user.status !== 'active') return undefined;
    const content = await this.content(mail, user);
    return content && { to: mail.recipient, ...renderMail(content) };
  }

  private async content(mail: QueuedAccountMail, user: User): Promise<MailContent | undefined> {
    const toOwnAddress = mail.recipient === user.email;
    switch (mail.kind) {
      case ACCOUNT_MAIL.emailVerification:
        return toOwnAddress && !user.emailVerifiedAt ? ACCOUNT_MAILS.emailVerification(await this.link('email_verification', user)) : undefined;
      case ACCOUNT_MAIL.signupWithExistingAddress:
        return toOwnAddress ? ACCOUNT_MAILS.signupWithExistingAddress() : undefined;
      case ACCOUNT_MAIL.passwordReset:
        return toOwnAddress ? ACCOUNT_MAILS.passwordReset(await this.link('password_reset', user)) : undefined;
      case ACCOUNT_MAIL.passwordWasReset:
        return toOwnAddress ? ACCOUNT_MAILS.passwordWasReset() : undefined;
      case ACCOUNT_MAIL.emailChange:
        // Sent only while the user still has the address and the token generation they asked from (no password
        // change, reset or sign-out everywhere since), and while the new address is still free.
        if (mail.params.fromEmail !== user.email || mail.params.generation !== String(user.tokenGeneration)) return undefined;
        if (await this.users.findByEmail(mail.recipient)) return undefined;
        return ACCOUNT_MAILS.emailChange(await this.link('email_change', user, mail.recipient));
      case ACCOUNT_MAIL.emailChangeRequested:
        return toOwnAddress ? ACCOUNT_MAILS.emailChangeRequested(mail.params.newEmail) : undefined;
      case ACCOUNT_MAIL.newSignIn:
        return toOwnAddress ? ACCOUNT_MAILS.newSignIn(mail.params.ip, quotedUserAgent(mail.params.userAgent)) : undefined;
      default:
        return undefined;
    }
  }

  private async link(purpose: AccountLinkPurpose, user: User, newEmail: string | null = null): Promise<string> {
    const token = await this.tokens.issue(purpose, user, newEmail, this.dataSource.manager);
    return accountLink(this.config.publicUrl, purpose, token);
  }
}
