import type { LightMyRequestResponse } from 'fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { bearer, expectInvalidCredentials, me, refreshRequest, uniqueEmail } from '../support/auth';
import { OutboxWorker } from '../../src/mail/outbox-worker';
import { insertProduct } from '../support/fixtures';
import { keptMails, lastMail, linkIn, SUBJECTS } from '../support/mailbox';
import { startTestApp, TestApp } from '../support/test-app';

/** The origin links must carry, whatever Host or X-Forwarded-Host a request names (docs/http-contract.md, Accounts). */
const PUBLIC_URL = 'https://orders.example.test';
const ACCEPTED = { message: 'If this address can receive it, a mail is on its way.' };
const INVALID_LINK = 'This link is not valid: it is unknown, used, expired, or voided by a later change';

/**
 * docs/http-contract.md, Accounts: the account lifecycle over HTTP, with the mails the development mailbox keeps
 * (the service suite follows the same flows over real SMTP: test/services/account-mail-instances.e2e-spec.ts).
 */
describe('Account lifecycle (embedded, development mailbox)', () => {
  let testApp: TestApp;
  const app = () => testApp.app;
  const db = () => app().get(DataSource);
  let productId: string;

  beforeAll(async () => {
    testApp = await startTestApp({
      env: { PUBLIC_URL, RATE_LIMIT_ANONYMOUS: '100000/60s', RATE_LIMIT_LOGIN_IP: '100000/900s', RATE_LIMIT_ACCOUNT_IP: '100000/900s' },
    });
    productId = (await insertProduct(db(), { stock: 1000 })).id;
  });
  afterAll(() => testApp.close());

  const post = (url: string, payload: object, headers: Record<string, string> = {}) => app().inject({ method: 'POST', url: `/api/v1${url}`, payload, headers });
  const register = (email: string, password = `pw-${randomUUID()}`, headers: Record<string, string> = {}) =>
    post('/auth/register', { email, password, name: 'Lifecycle Tester' }, headers);
  const login = (email: string, password: string, userAgent = 'test-agent/1') => post('/auth/login', { email, password }, { 'user-agent': userAgent });
  const tokensOf = (response: LightMyRequestResponse) => response.json<{ accessToken: string; refreshToken: string }>();
  const placeOrder = (accessToken: string) => post('/orders', { items: [{ productId, quantity: 1 }] }, bearer(accessToken));
  const verificationToken = async (email: string) => linkIn((await lastMail(app(), email, SUBJECTS.verification)).text).token;
  const auditActions = async (userId: string) => (await db().getRepository(AuditEvent).findBy({ targetId: userId })).map((event) => event.action);

  /** A verified, signed-in account, through the routes: sign-up, the link of its mail, login. */
  async function verifiedAccount(userAgent = 'test-agent/1') {
    const email = uniqueEmail('verified');
    const password = `pw-${randomUUID()}`;
    expect((await register(email, password)).statusCode).toBe(202);
    expect((await post('/auth/email-verification', { token: await verificationToken(email) })).statusCode).toBe(204);
    const tokens = tokensOf(await login(email, password, userAgent));
    const userId = (await me(app(), tokens.accessToken)).json<{ id: string }>().id;
    return { email, password, userId, tokens };
  }

  describe('sign-up', () => {
    it('answers 202, mails a verification link on PUBLIC_URL, and the account may sign in but not order until verified', async () => {
      const email = uniqueEmail('new');
      const password = `pw-${randomUUID()}`;
      const answer = await register(email, password);
      expect(answer.statusCode).toBe(202);
      expect(answer.json()).toEqual(ACCEPTED);

      const mail = await lastMail(app(), email, SUBJECTS.verification);
      const link = linkIn(mail.text);
      expect(link).toMatchObject({ origin: PUBLIC_URL, path: '/account/verify-email' });
      expect(mail.html).toContain(`href="${PUBLIC_URL}/account/verify-email#token=${link.token}"`);

      const unverified = tokensOf(await login(email, password));
      const refused = await placeOrder(unverified.accessToken);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ type: '/problems/email-not-verified', title: 'E-mail address not verified', status: 403 });
      expect((await post('/api-keys', { name: 'too early' }, bearer(unverified.accessToken))).json()).toMatchObject({
        type: '/problems/email-not-verified',
      });

      expect((await post('/auth/email-verification', { token: link.token })).statusCode).toBe(204);
      // The token says what was true when it was issued; the next one, after a refresh, says verified.
      const refreshed = tokensOf(await refreshRequest(app(), unverified.refreshToken));
      expect((await placeOrder(refreshed.accessToken)).statusCode).toBe(201);
      expect((await post('/api-keys', { name: 'now fine' }, bearer(refreshed.accessToken))).statusCode).toBe(201);
    });

    it('answers a known address exactly as a new one, tells its owner, and changes nothing of the account', async () => {
      const known = await verifiedAccount();
      const fresh = uniqueEmail('fresh');
      const [forKnown, forFresh] = [await register(known.email, 'another password, the attacker’s'), await register(fresh)];
      expect(forKnown.statusCode).toBe(forFresh.statusCode);
      expect(forKnown.body).toBe(forFresh.body);
      const varying = new Set(['x-request-id', 'date', 'ratelimit']);
      const headerNames = (response: LightMyRequestResponse) => Object.keys(response.headers).filter((name) => !varying.has(name));
      expect(headerNames(forKnown)).toEqual(headerNames(forFresh));
      expect(forKnown.headers['content-length']).toBe(forFresh.headers['content-length']);

      expect((await lastMail(app(), known.email, SUBJECTS.signupExisting)).text).toContain('No account was created');
      expect(await db().query(`SELECT count(*)::int AS count FROM users WHERE email = $1`, [known.email])).toEqual([{ count: 1 }]);
      expect((await login(known.email, known.password)).statusCode).toBe(200);
      expect((await login(known.email, 'another password, the attacker’s')).statusCode).toBe(401);
      expect(await auditActions(known.userId)).toContain('auth.email_verify');
    });

    it('refuses a used, an unknown and an expired verification link with one answer', async () => {
      const email = uniqueEmail('links');
      await register(email);
      const token = await verificationToken(email);
      expect((await post('/auth/email-verification', { token })).statusCode).toBe(204);
      for (const bad of [token, 'A'.repeat(43), 'not even base64url!']) {
        const refused = await post('/auth/email-verification', { token: bad });
        expect(refused.statusCode).toBe(400);
        expect(refused.json().detail).toBe(INVALID_LINK);
      }

      const late = uniqueEmail('late');
      await register(late);
      const expired = await verificationToken(late);
      // 24 hours and a second later, as far as the token's row is concerned.
      await db().query(`UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_email = $1`, [late]);
      expect((await post('/auth/email-verification', { token: expired })).json().detail).toBe(INVALID_LINK);
    });

    it('resends a link to an unverified account only, with the same 202 for every address', async () => {
      const unverified = uniqueEmail('resend');
      await register(unverified);
      const verified = await verifiedAccount();
      const nobody = uniqueEmail('nobody');
      const answers = await Promise.all([unverified, verified.email, nobody].map((email) => post('/auth/email-verification/resend', { email })));
      expect(answers.map((answer) => [answer.statusCode, answer.body])).toEqual(Array(3).fill([202, JSON.stringify(ACCEPTED)]));

      expect((await keptMails(app(), unverified)).filter((mail) => SUBJECTS.verification.test(mail.subject))).toHaveLength(2);
      expect((await keptMails(app(), verified.email)).filter((mail) => SUBJECTS.verification.test(mail.subject))).toHaveLength(1);
      expect(await keptMails(app(), nobody)).toEqual([]);
      // The request for an unknown address was queued like the others, and dropped only when the worker came to it.
      expect(await db().query(`SELECT outcome FROM mail_outbox WHERE recipient = $1`, [nobody])).toEqual([{ outcome: 'skipped' }]);
    });
  });

  describe('password reset', () => {
    it('sets a new password with the mailed link, ends every session and API key, and tells the owner', async () => {
      const account = await verifiedAccount();
      const key = (await post('/api-keys', { name: 'dies with the reset' }, bearer(account.tokens.accessToken))).json<{ key: string }>().key;
      expect((await post('/auth/password-reset', { email: account.email })).json()).toEqual(ACCEPTED);
      const link = linkIn((await lastMail(app(), account.email, SUBJECTS.reset)).text);
      expect(link).toMatchObject({ origin: PUBLIC_URL, path: '/account/reset-password' });

      expect((await post('/auth/password-reset/confirm', { token: link.token, newPassword: 'a brand new passphrase' })).statusCode).toBe(204);
      expect((await login(account.email, account.password)).statusCode).toBe(401);
      expect((await login(account.email, 'a brand new passphrase')).statusCode).toBe(200);
      expectInvalidCredentials(await me(app(), account.tokens.accessToken));
      expect((await refreshRequest(app(), account.tokens.refreshToken)).statusCode).toBe(401);
      expect((await app().inject({ method: 'GET', url: '/api/v1/users/me', headers: { 'x-api-key': key } })).statusCode).toBe(401);
      expect((await lastMail(app(), account.email, SUBJECTS.wasReset)).text).toContain('every session and API key');
      // Single use.
      expect((await post('/auth/password-reset/confirm', { token: link.token, newPassword: 'yet another passphrase' })).json().detail).toBe(INVALID_LINK);
      expect(await auditActions(account.userId)).toEqual(expect.arrayContaining(['auth.password_reset']));
    });

    it('answers 202 for an address without an account, and mails nobody', async () => {
      const nobody = uniqueEmail('no-account');
      const answer = await post('/auth/password-reset', { email: nobody });
      expect([answer.statusCode, answer.json()]).toEqual([202, ACCEPTED]);
      expect(await keptMails(app(), nobody)).toEqual([]);
    });

    it('attack: a reset link is void once the password changed another way', async () => {
      const account = await verifiedAccount();
      await post('/auth/password-reset', { email: account.email });
      const { token } = linkIn((await lastMail(app(), account.email, SUBJECTS.reset)).text);
      const changed = await post(
        '/auth/password',
        { currentPassword: account.password, newPassword: 'changed by the owner' },
        bearer(account.tokens.accessToken),
      );
      expect(changed.statusCode).toBe(204);
      expect((await post('/auth/password-reset/confirm', { token, newPassword: 'set by whoever has the link' })).statusCode).toBe(400);
      expect((await login(account.email, 'changed by the owner')).statusCode).toBe(200);
    });

    it('attack: a link redeems for its own purpose only', async () => {
      const email = uniqueEmail('purpose');
      const password = `pw-${randomUUID()}`;
      await register(email, password);
      const verification = await verificationToken(email);
      await post('/auth/password-reset', { email });
      const reset = linkIn((await lastMail(app(), email, SUBJECTS.reset)).text).token;

      expect((await post('/auth/password-reset/confirm', { token: verification, newPassword: 'hijacked via the wrong link' })).statusCode).toBe(400);
      expect((await post('/auth/email-verification', { token: reset })).statusCode).toBe(400);
      expect((await post('/auth/email-change/confirm', { token: reset })).statusCode).toBe(400);
      // Both still work for what they are for.
      expect((await post('/auth/email-verification', { token: verification })).statusCode).toBe(204);
      expect((await post('/auth/password-reset/confirm', { token: reset, newPassword: 'the rightful new one' })).statusCode).toBe(204);
    });

    it('attack: a poisoned Host or X-Forwarded-Host does not move the link off PUBLIC_URL', async () => {
      const account = await verifiedAccount();
      const poisoned = { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' };
      expect((await post('/auth/password-reset', { email: account.email }, poisoned)).statusCode).toBe(202);
      const mail = await lastMail(app(), account.email, SUBJECTS.reset);
      expect(linkIn(mail.text).origin).toBe(PUBLIC_URL);
      expect(`${mail.text}${mail.html}`).not.toContain('evil.example');
    });

    it('attack: an expired reset link is refused', async () => {
      const account = await verifiedAccount();
      await post('/auth/password-reset', { email: account.email });
      const { token } = linkIn((await lastMail(app(), account.email, SUBJECTS.reset)).text);
      await db().query(`UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND purpose = 'password_reset'`, [
        account.userId,
      ]);
      expect((await post('/auth/password-reset/confirm', { token, newPassword: 'too late for this' })).statusCode).toBe(400);
      expect((await login(account.email, account.password)).statusCode).toBe(200);
    });
  });

  describe('e-mail change', () => {
    it('needs the current password, mails the new address a link and the old one a notice, and changes only when the link is used', async () => {
      const account = await verifiedAccount();
      const newEmail = uniqueEmail('moved');
      const request = (currentPassword: string) => post('/users/me/email', { newEmail, currentPassword }, bearer(account.tokens.accessToken));
      expect((await request('not the password')).statusCode).toBe(403);
      expect((await request(account.password)).json()).toEqual(ACCEPTED);

      expect((await lastMail(app(), account.email, SUBJECTS.emailChangeRequested)).text).toContain(newEmail);
      const link = linkIn((await lastMail(app(), newEmail, SUBJECTS.emailChange)).text);
      expect(link).toMatchObject({ origin: PUBLIC_URL, path: '/account/confirm-email-change' });
      expect((await me(app(), account.tokens.accessToken)).json().email).toBe(account.email);

      // A reset link of the old address, asked for before the change, dies with it.
      await post('/auth/password-reset', { email: account.email });
      const oldReset = linkIn((await lastMail(app(), account.email, SUBJECTS.reset)).text).token;

      expect((await post('/auth/email-change/confirm', { token: link.token })).statusCode).toBe(204);
      expect((await me(app(), account.tokens.accessToken)).json().email).toBe(newEmail);
      expect((await login(newEmail, account.password)).statusCode).toBe(200);
      expect((await login(account.email, account.password)).statusCode).toBe(401);
      expect((await post('/auth/password-reset/confirm', { token: oldReset, newPassword: 'through the old address' })).statusCode).toBe(400);
      expect((await post('/auth/email-change/confirm', { token: link.token })).statusCode).toBe(400);
    });

    it('attack: a change asked for before the password changed gets no link (the mail is written later, by the worker)', async () => {
      const account = await verifiedAccount();
      const newEmail = uniqueEmail('thief');
      // The worker's timer stopped: this test decides when the queued mail is written.
      const worker = app().get(OutboxWorker);
      await worker.onModuleDestroy();
      try {
        await post('/users/me/email', { newEmail, currentPassword: account.password }, bearer(account.tokens.accessToken));
        await post('/auth/password', { currentPassword: account.password, newPassword: 'the owner took it back' }, bearer(account.tokens.accessToken));
        expect(await keptMails(app(), newEmail)).toEqual([]);
        expect(await db().query(`SELECT outcome FROM mail_outbox WHERE recipient = $1`, [newEmail])).toEqual([{ outcome: 'skipped' }]);
      } finally {
        worker.onApplicationBootstrap();
      }
    });

    it('refuses an API key, and sends no link to an address another account has', async () => {
      const account = await verifiedAccount();
      const other = await verifiedAccount();
      const key = (await post('/api-keys', { name: 'no email changes' }, bearer(account.tokens.accessToken))).json<{ key: string }>().key;
      expect((await post('/users/me/email', { newEmail: uniqueEmail(), currentPassword: account.password }, { 'x-api-key': key })).statusCode).toBe(403);
      const taken = await post('/users/me/email', { newEmail: other.email, currentPassword: account.password }, bearer(account.tokens.accessToken));
      expect(taken.statusCode).toBe(202);
      expect((await keptMails(app(), other.email)).filter((mail) => SUBJECTS.emailChange.test(mail.subject))).toEqual([]);
    });
  });

  describe('sessions', () => {
    it('lists the caller’s sessions, ends one at once, and signs out everywhere', async () => {
      const account = await verifiedAccount('first-device/1');
      const second = tokensOf(await login(account.email, account.password, 'second-device/2'));
      const list = await app().inject({ method: 'GET', url: '/api/v1/auth/sessions', headers: bearer(account.tokens.accessToken) });
      expect(list.statusCode).toBe(200);
      const sessions = list.json<{ data: Array<{ id: string; userAgent: string; current: boolean; ip: string }>; page: { total: number } }>();
      expect(sessions.page.total).toBe(2);
      expect(sessions.data.map(({ userAgent, current }) => ({ userAgent, current }))).toEqual([
        { userAgent: 'second-device/2', current: false },
        { userAgent: 'first-device/1', current: true },
      ]);
      expect(sessions.data[0].ip).toBe('127.0.0.1');

      const deleteSession = (id: string, token: string) => app().inject({ method: 'DELETE', url: `/api/v1/auth/sessions/${id}`, headers: bearer(token) });
      const stranger = await verifiedAccount();
      // Someone else's session is not yours to end: 404, as for any id you have no session with.
      expect((await deleteSession(sessions.data[0].id, stranger.tokens.accessToken)).statusCode).toBe(404);
      expect((await deleteSession(randomUUID(), account.tokens.accessToken)).statusCode).toBe(404);
      expect((await me(app(), second.accessToken)).statusCode).toBe(200);

      expect((await deleteSession(sessions.data[0].id, account.tokens.accessToken)).statusCode).toBe(204);
      expectInvalidCredentials(await me(app(), second.accessToken));
      expect((await refreshRequest(app(), second.refreshToken)).statusCode).toBe(401);
      expect((await me(app(), account.tokens.accessToken)).statusCode).toBe(200);

      const key = (await post('/api-keys', { name: 'outlives sign-out' }, bearer(account.tokens.accessToken))).json<{ key: string }>().key;
      const third = tokensOf(await login(account.email, account.password, 'third-device/3'));
      expect((await post('/auth/sessions/revoke-all', {}, bearer(account.tokens.accessToken))).statusCode).toBe(204);
      expectInvalidCredentials(await me(app(), account.tokens.accessToken));
      expectInvalidCredentials(await me(app(), third.accessToken));
      expect((await refreshRequest(app(), third.refreshToken)).statusCode).toBe(401);
      expect((await app().inject({ method: 'GET', url: '/api/v1/users/me', headers: { 'x-api-key': key } })).statusCode).toBe(200);
      expect(await auditActions(account.userId)).toEqual(expect.arrayContaining(['auth.session_revoke', 'auth.sessions_revoke_all']));
    });

    it('mails a notice for a sign-in from a new address and user agent, not for the first one or a known one, escaping what the client sent', async () => {
      const account = await verifiedAccount('usual-browser/1');
      await login(account.email, account.password, 'usual-browser/1');
      expect((await keptMails(app(), account.email)).filter((mail) => SUBJECTS.newSignIn.test(mail.subject))).toEqual([]);

      await login(account.email, account.password, '<a href="https://evil.example">click</a>');
      const notice = await lastMail(app(), account.email, SUBJECTS.newSignIn);
      expect(notice.text).toContain('127.0.0.1');
      expect(notice.html).toContain('&lt;a href=&quot;https://evil.example&quot;&gt;click&lt;/a&gt;');
      expect(notice.html).not.toContain('<a href="https://evil.example">');
    });
  });

  describe('limits', () => {
    it('limits mails per address, known or not, with RateLimit fields, and the same 429 for both', async () => {
      const known = (await verifiedAccount()).email;
      const unknown = uniqueEmail('unknown');
      const statuses = async (email: string) => {
        const answers: LightMyRequestResponse[] = [];
        for (let i = 0; i < 6; i++) answers.push(await post('/auth/password-reset', { email }));
        const refused = answers.find((answer) => answer.statusCode === 429)!;
        expect(refused.headers['retry-after']).toBeDefined();
        expect(refused.headers['ratelimit']).toContain('"account-email";r=0');
        return answers.map((answer) => answer.statusCode);
      };
      // The quota is 5 an hour per address, counted alike whether an account has it: `known` spent one on its sign-up.
      expect(await statuses(known)).toEqual([202, 202, 202, 202, 429, 429]);
      expect(await statuses(unknown)).toEqual([202, 202, 202, 202, 202, 429]);
    });
  });
});

describe('Addresses that are not text', () => {
  let testApp: TestApp;
  beforeAll(async () => (testApp = await startTestApp()));
  afterAll(() => testApp.close());

  it.each(['/auth/register', '/auth/login', '/auth/password-reset', '/auth/email-verification/resend'])(
    'answers 400, not 500, to an address with a lone surrogate at %s',
    async (url) => {
      const payload = { email: 'a\ud800@example.test', password: 'a fine long password', name: 'Lone' };
      const answer = await testApp.app.inject({ method: 'POST', url: `/api/v1${url}`, payload });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().errors).toEqual(expect.arrayContaining([{ field: 'email', message: 'email must be an email' }]));
    },
  );
});

describe('The outbox', () => {
  let testApp: TestApp;
  beforeAll(async () => (testApp = await startTestApp()));
  afterAll(() => testApp.close());

  it('gives up a mail whose last attempt never recorded its outcome (its instance died), and sends nothing', async () => {
    const db = testApp.app.get(DataSource);
    const [user] = await db.query<Array<{ email: string }>>(
      `INSERT INTO users (email, name, role, password_hash, email_verified_at) VALUES ($1, 'Stuck', 'customer', 'x', now()) RETURNING email`,
      [uniqueEmail('stuck')],
    );
    await db.query(`INSERT INTO mail_outbox (kind, recipient, attempts) VALUES ('signup_existing', $1, 8)`, [user.email]);
    expect(await keptMails(testApp.app, user.email)).toEqual([]);
    expect(await db.query(`SELECT outcome, done_at IS NOT NULL AS done FROM mail_outbox WHERE recipient = $1`, [user.email])).toEqual([
      { outcome: 'failed', done: true },
    ]);
  });
});

describe('Account limits per client IP', () => {
  let testApp: TestApp;
  beforeAll(async () => (testApp = await startTestApp({ env: { RATE_LIMIT_ACCOUNT_IP: '3/900s' } })));
  afterAll(() => testApp.close());

  it('refuses the fourth account request from one address, on any of the account routes', async () => {
    const post = (url: string, payload: object) => testApp.app.inject({ method: 'POST', url: `/api/v1${url}`, payload });
    const answers = [
      await post('/auth/register', { email: uniqueEmail(), password: 'a fine long password', name: 'One' }),
      await post('/auth/password-reset', { email: uniqueEmail() }),
      await post('/auth/email-verification', { token: 'A'.repeat(43) }),
      await post('/auth/email-verification/resend', { email: uniqueEmail() }),
    ];
    expect(answers.map((answer) => answer.statusCode)).toEqual([202, 202, 400, 429]);
    expect(answers[3].headers['ratelimit']).toContain('"account-ip";r=0');
  });
});

describe('The development mailbox page', () => {
  it('shows kept mails, escaped, outside production', async () => {
    const testApp = await startTestApp();
    try {
      const email = uniqueEmail('page');
      await testApp.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { email, password: 'a fine long password', name: 'Page' } });
      await keptMails(testApp.app, email);
      const page = await testApp.app.inject({ method: 'GET', url: '/dev/mail' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.body).toContain(`To: ${email}`);
      expect(page.body).toMatch(/verify-email#token=[A-Za-z0-9_-]{43}/);
    } finally {
      await testApp.close();
    }
  });

  it('does not exist in production', async () => {
    const testApp = await startTestApp({
      env: { NODE_ENV: 'production', PUBLIC_URL, TRUSTED_PROXIES: '127.0.0.1/32' },
      secrets: { smtpUrl: 'smtp://127.0.0.1:9' },
    });
    try {
      // Over HTTPS (as the trusted proxy says), so the answer is about the route, not the transport.
      expect((await testApp.app.inject({ method: 'GET', url: '/dev/mail', headers: { 'x-forwarded-proto': 'https' } })).statusCode).toBe(404);
    } finally {
      await testApp.close();
    }
  });
});
