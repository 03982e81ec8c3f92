import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { escapeHtml } from '../common/html';
import { Public } from '../security/public.decorator';
import { MailOutbox } from './mail-outbox';

/** Mails shown at most: the newest. */
const SHOWN = 50;

/**
 * The development mailbox (no SMTP_URL, outside production only): the mails the service would have sent, newest
 * first, as text, so a developer (or the README walkthrough, with curl) can follow a link. Not an API operation:
 * absent from the OpenAPI document. Text only: the HTML parts are not rendered, so the page runs no markup of
 * anyone's, and the API's strict CSP holds for it too.
 */
@ApiExcludeController()
@Public()
@Controller({ path: 'dev/mail' })
export class DevMailController {
  constructor(private readonly outbox: MailOutbox) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  // The mails hold live links: no cache may keep them.
  @Header('Cache-Control', 'no-store')
  async page(): Promise<string> {
    const mails = await this.outbox.kept(SHOWN);
    const items = mails.map(
      (mail) =>
        `<article><h2>${escapeHtml(mail.subject ?? '')}</h2><p>To: ${escapeHtml(mail.recipient)} · ${mail.doneAt?.toISOString() ?? ''}</p>` +
        `<pre>${escapeHtml(mail.textBody ?? '')}</pre></article>`,
    );
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Development mailbox</title></head><body><h1>Development mailbox</h1><p>Mails are kept here, not sent, because SMTP_URL is not set.</p>${items.join('') || '<p>No mail yet.</p>'}</body></html>`;
  }
}
