import { randomUUID } from 'node:crypto';
import { uniqueEmail } from '../support/auth';
import { HttpReply } from '../support/http-client';
import { linkIn } from '../support/mailbox';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';
import { SmtpInbox } from '../support/smtp-inbox';
import { until } from '../support/until';

const PASSWORD = 'a long enough passphrase';

/**
 * docs/http-contract.md, Accounts, on the production shape: two service processes, one Postgres, one Redis, and a
 * real SMTP server (smtp-server, parsed by mailparser) that both send to with nodemailer. Links mailed by one
 * instance work on the other; the outbox sends each mail once while both drain it; a refused mail comes back after
 * its backoff; a session ended on one instance is refused by the other at the next request.
 */
describe('Account mail and sessions across two instances (real SMTP)', () => {
  let inbox: SmtpInbox;
  let deployment: ServiceDeployment;
  let first: ServiceInstance;
  let second: ServiceInstance;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    deployment = await ServiceDeployment.create();
    const env = {
      SMTP_URL: inbox.url,
      RATE_LIMIT_ANONYMOUS: '100000/60s',
      RATE_LIMIT_LOGIN_IP: '100000/900s',
      RATE_LIMIT_ACCOUNT_IP: '100000/900s',
    };
    first = await deployment.start({ env });
    second = await deployment.start({ env });
  });
  afterAll(async () => {
    await deployment?.close();
    await inbox?.close();
  });

  const post = (instance: ServiceInstance, path: string, body: object, token?: string): Promise<HttpReply> =>
    instance.http.send({ method: 'POST', path: `/api/v1${path}`, body, token });
  const me = (instance: ServiceInstance, token: string) => instance.http.send({ path: '/api/v1/users/me', token });

  /** Verified accounts straight in the database (a placeholder hash: these never log in). */
  async function insertVerifiedUsers(count: number): Promise<string[]> {
    const emails = Array.from({ length: count }, () => uniqueEmail('bulk'));
    await deployment.db.query(
      `INSERT INTO users (email, name, role, password_hash, email_verified_at) SELECT e, 'Bulk', 'customer', 'not-a-real-hash', now() FROM unnest($1::text[]) AS e`,
      [emails],
    );
    return emails;
  }

  /** An account signed up on one instance and verified, through its mail, on the other; then logged in. */
  async function verifiedAccount(signUpOn: ServiceInstance, verifyOn: ServiceInstance) {
    const email = uniqueEmail('smtp');
    expect((await post(signUpOn, '/auth/register', { email, password: PASSWORD, name: 'Over SMTP' })).status).toBe(202);
    const mail = await inbox.waitFor(email, /^Confirm your e-mail address$/);
    expect((await post(verifyOn, '/auth/email-verification', { token: linkIn(mail.text).token })).status).toBe(204);
    const login = await post(verifyOn, '/auth/login', { email, password: PASSWORD });
    return { email, tokens: login.json<{ accessToken: string; refreshToken: string }>() };
  }

  it('mails a sign-up over SMTP with a text and an HTML part, and its link verifies on the other instance', async () => {
    const email = uniqueEmail('both-parts');
    await post(first, '/auth/register', { email, password: PASSWORD, name: 'Both Parts' });
    const mail = await inbox.waitFor(email, /^Confirm your e-mail address$/);
    const { token, origin } = linkIn(mail.text);
    expect(origin).toBe('http://127.0.0.1:3000');
    expect(mail.html).toContain(`#token=${token}`);
    expect((await post(second, '/auth/email-verification', { token })).status).toBe(204);
    // Sent over SMTP, so nothing of it was kept: the outbox row has no subject or body, the token is only hashed.
    const [row] = (await deployment.db.query(`SELECT outcome, subject, text_body FROM mail_outbox WHERE recipient = $1`, [email])).rows;
    expect(row).toEqual({ outcome: 'sent', subject: null, text_body: null });
  });

  it('resets a password asked for on one instance and confirmed on the other; the old tokens then fail on both', async () => {
    const account = await verifiedAccount(first, second);
    expect((await post(second, '/auth/password-reset', { email: account.email })).status).toBe(202);
    const { token } = linkIn((await inbox.waitFor(account.email, /^Reset your password$/)).text);
    expect((await post(first, '/auth/password-reset/confirm', { token, newPassword: 'the new passphrase' })).status).toBe(204);
    expect((await me(first, account.tokens.accessToken)).status).toBe(401);
    expect((await me(second, account.tokens.accessToken)).status).toBe(401);
    await inbox.waitFor(account.email, /^Your password was reset$/);
  });

  it('sends each mail exactly once while both instances drain the outbox, over 3 rounds of 100', async () => {
    const recipients = await insertVerifiedUsers(100);
    for (let round = 0; round < 3; round++) {
      const before = inbox.mails.length;
      // 100 mails due at once: each instance's poll takes 20, so both are claiming from the same rows for seconds.
      await deployment.db.query(`INSERT INTO mail_outbox (kind, recipient) SELECT 'signup_existing', r FROM unnest($1::text[]) AS r`, [recipients]);
      await until(() => inbox.mails.length >= before + 100, 30_000);
      // Two more polls of each instance: a mail sent twice would have arrived by now.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const received = inbox.mails.slice(before).flatMap((mail) => mail.to);
      expect(received).toHaveLength(100);
      expect(new Set(received)).toEqual(new Set(recipients));
    }
    const { rows } = await deployment.db.query(
      `SELECT outcome, attempts, count(*)::int AS count FROM mail_outbox WHERE recipient = ANY($1) GROUP BY outcome, attempts`,
      [recipients],
    );
    expect(rows).toEqual([{ outcome: 'sent', attempts: 1, count: 300 }]);
  });

  it('retries a mail the server refused once it is due again, and sends it once', async () => {
    const [email] = await insertVerifiedUsers(1);
    inbox.refuseNext(1);
    await post(first, '/auth/password-reset', { email });
    const row = async () =>
      (
        await deployment.db.query(
          `SELECT attempts, outcome, last_error, send_after > now() + interval '50 seconds' AS held FROM mail_outbox WHERE recipient = $1`,
          [email],
        )
      ).rows[0];
    await until(async () => (await row())?.last_error != null, 15_000);
    // Refused once: counted, its error code kept, held back for its backoff (a minute), not given up.
    expect(await row()).toMatchObject({ attempts: 1, outcome: null, held: true });
    expect(inbox.to(email)).toEqual([]);
    // The minute passes.
    await deployment.db.query(`UPDATE mail_outbox SET send_after = now() WHERE recipient = $1`, [email]);
    await inbox.waitFor(email, /^Reset your password$/);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(inbox.to(email)).toHaveLength(1);
    expect(await row()).toMatchObject({ attempts: 2, outcome: 'sent' });
  });

  it('refuses a session ended on one instance on the other at its next request, over 10 rounds', async () => {
    const account = await verifiedAccount(first, second);
    for (let round = 0; round < 10; round++) {
      const other = (await post(second, '/auth/login', { email: account.email, password: PASSWORD })).json<{ accessToken: string }>();
      const sessions = (await first.http.send({ path: '/api/v1/auth/sessions?limit=100', token: account.tokens.accessToken })).json<{
        data: Array<{ id: string; current: boolean }>;
      }>();
      const target = sessions.data.find((session) => !session.current)!;
      expect((await me(second, other.accessToken)).status).toBe(200);
      expect((await first.http.send({ method: 'DELETE', path: `/api/v1/auth/sessions/${target.id}`, token: account.tokens.accessToken })).status).toBe(204);
      expect((await me(second, other.accessToken)).status).toBe(401);
    }
  });

  it('lets exactly one of two instances redeem one reset link at once, over 10 rounds', async () => {
    const emails = await insertVerifiedUsers(10);
    for (const email of emails) {
      await post(first, '/auth/password-reset', { email });
      const { token } = linkIn((await inbox.waitFor(email, /^Reset your password$/)).text);
      const answers = await Promise.all(
        [first, second].map((instance) => post(instance, '/auth/password-reset/confirm', { token, newPassword: `new passphrase ${randomUUID()}` })),
      );
      expect(answers.map((answer) => answer.status).sort()).toEqual([204, 400]);
    }
  });
});
