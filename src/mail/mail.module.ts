import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DevMailController } from './dev-mail.controller';
import { MailOutbox } from './mail-outbox';
import { DevMailbox, MAIL_TRANSPORT, SmtpTransport } from './mail-transport';

/**
 * The outbox (MailOutbox, for features to queue mails in their transactions) and where mails go: SMTP when
 * `smtpUrl` is set (a secret: it may hold the server's password), else the development mailbox and its page,
 * /dev/mail, which production never has (it refuses to boot without SMTP). The worker that sends the mails is
 * registered with the features' composers by the composition root (OutboxWorker).
 */
@Module({})
export class MailModule {
  static register(config: AppConfig, smtpUrl: string | undefined): DynamicModule {
    return {
      module: MailModule,
      global: true,
      controllers: smtpUrl || config.isProduction ? [] : [DevMailController],
      providers: [
        MailOutbox,
        {
          provide: MAIL_TRANSPORT,
          inject: [MailOutbox],
          useFactory: (outbox: MailOutbox) =>
            smtpUrl ? new SmtpTransport(smtpUrl, config.mailFrom) : new DevMailbox((id, message) => outbox.keep(id, message)),
        },
      ],
      exports: [MailOutbox, MAIL_TRANSPORT],
    };
  }
}
