import { ACCOUNT_MAILS, quotedUserAgent, renderMail } from './account-mail.templates';

describe('renderMail', () => {
  it('writes the same paragraphs as text and as escaped HTML, links in full', () => {
    const mail = renderMail({ subject: 'S', paragraphs: ['Hello <b>you</b>', { link: 'https://orders.example/account/x#token=a&b' }] });
    expect(mail.text).toBe('Hello <b>you</b>\n\nhttps://orders.example/account/x#token=a&b\n\n— Secure Orders API');
    expect(mail.html).toContain('<p>Hello &lt;b&gt;you&lt;/b&gt;</p>');
    expect(mail.html).toContain('<a href="https://orders.example/account/x#token=a&amp;b">https://orders.example/account/x#token=a&amp;b</a>');
  });

  it('escapes an address a user chose in a notice', () => {
    expect(renderMail(ACCOUNT_MAILS.emailChangeRequested('"><img src=x>@example.test')).html).not.toContain('<img');
  });
});

describe('quotedUserAgent', () => {
  it('keeps a user agent to one quoted line of at most 120 characters', () => {
    expect(quotedUserAgent('Mozilla/5.0\r\n\r\nYour account is safe, click here')).toBe('"Mozilla/5.0 Your account is safe, click here"');
    expect(quotedUserAgent('x'.repeat(500))).toHaveLength(122);
  });

  it('names a client that sent none', () => {
    expect(quotedUserAgent(undefined)).toBe('an unnamed client');
    expect(quotedUserAgent('\u200b\t')).toBe('an unnamed client');
  });
});
