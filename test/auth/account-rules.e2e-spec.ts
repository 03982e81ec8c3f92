import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { User } from '../../src/users/user.entity';
import { manyLoginsEnv, uniqueEmail } from '../support/auth';
import { HttpReply } from '../support/http-client';
import { LoopbackTestApp, startTestAppOnLoopback } from '../support/test-app';

/**
 * Weak passwords and look-alike accounts, over real HTTP. Passwords follow NIST SP 800-63B-4
 * §3.1.1.2 (length first, no composition rules, a blocklist of common and breached passwords);
 * an email is one account whatever its Unicode form or case; names hold no invisible controls.
 */
describe('Account rules: weak passwords and look-alike accounts', () => {
  let t: LoopbackTestApp;

  beforeAll(async () => {
    t = await startTestAppOnLoopback({ env: manyLoginsEnv() });
  });
  afterAll(() => t.close());

  const register = (body: { email?: string; password?: string; name?: string }) =>
    t.http.send({ method: 'POST', path: '/api/v1/auth/register', body: { email: uniqueEmail(), password: `pw-${randomUUID()}`, name: 'Rules', ...body } });

  /** A 400 problem naming exactly this field, and never echoing what was sent. */
  function expectRefusedField(response: HttpReply, field: string, sent: string): void {
    expect(response.status).toBe(400);
    expect([...new Set(response.json<{ errors: Array<{ field: string }> }>().errors.map((error) => error.field))]).toEqual([field]);
    expect(response.text).not.toContain(JSON.stringify(sent).slice(1, -1));
  }

  /** A new account, logged in over HTTP: its password and access token. */
  async function loggedIn(): Promise<{ password: string; accessToken: string }> {
    const [email, password] = [uniqueEmail(), `pw-${randomUUID()}`];
    expect((await register({ email, password })).status).toBe(202);
    const { accessToken } = (await t.http.send({ method: 'POST', path: '/api/v1/auth/login', body: { email, password } })).json<{ accessToken: string }>();
    return { password, accessToken };
  }

  describe('passwords', () => {
    it.each([
      ['a passphrase', 'four words walk into a bar'],
      ['exactly 15 characters', 'tram-fig-lucent'],
      ['one of 128', `${randomUUID()}${randomUUID()}${randomUUID()}-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM`.slice(0, 128)],
      ['non-Latin letters, counted as characters', 'пароль из слов и цифр'],
    ])('accepts %s', async (_name, password) => {
      expect((await register({ password })).status).toBe(202);
    });

    it.each([
      ['12 spaces', ' '.repeat(12)],
      ['12 of one letter', 'a'.repeat(12)],
      ['14 characters', 'tram-fig-lucen'],
      ['129 characters', 'x1'.repeat(64) + 'y'],
      ['only spaces, 20 of them', ' '.repeat(20)],
      ['one letter 16 times', 'a'.repeat(16)],
      ['one short run repeated', 'abc1abc1abc1abc1'],
      ['a breached password', '1qaz2wsx3edc4rfv'],
      ['a breached password in other case', 'PasswordStandard'],
    ])('refuses %s with 400 naming the field', async (_name, password) => {
      expectRefusedField(await register({ password }), 'password', password);
    });

    it('holds a new password to the same rules on change', async () => {
      const { password, accessToken } = await loggedIn();
      const change = (newPassword: string) =>
        t.http.send({ method: 'POST', path: '/api/v1/auth/password', token: accessToken, body: { currentPassword: password, newPassword } });
      expectRefusedField(await change('a'.repeat(20)), 'newPassword', 'a'.repeat(20));
      expect((await change('a fresh and long passphrase')).status).toBe(204);
    });
  });

  describe('emails', () => {
    const alice = { email: `alice-${randomUUID()}@example.com`, password: 'alice-correct-horse' };

    beforeAll(async () => {
      expect((await register(alice)).status).toBe(202);
    });

    it.each([
      ['in capitals', (email: string) => email.toUpperCase()],
      ['with a full-width first letter', (email: string) => `\uFF41${email.slice(1)}`],
      [
        'in full-width capitals',
        (email: string) => [...email].map((c) => (/[a-z]/.test(c) ? String.fromCodePoint(c.toUpperCase().codePointAt(0)! + 0xfee0) : c)).join(''),
      ],
    ])('is the same account %s: the same 202 on register as a new address, no second account, and the login works', async (_name, variant) => {
      const users = t.app.get(DataSource).getRepository(User);
      const before = await users.count();
      const response = await register({ email: variant(alice.email) });
      const fresh = await register({});
      expect(response.status).toBe(202);
      expect(response.text).toBe(fresh.text);
      // Only the fresh address made an account.
      expect(await users.count()).toBe(before + 1);
      const login = await t.http.send({ method: 'POST', path: '/api/v1/auth/login', body: { email: variant(alice.email), password: alice.password } });
      expect(login.status).toBe(200);
    });

    it('stores the normalised address', async () => {
      const email = `\uFF42ob-${randomUUID()}@Example.COM`;
      const response = await register({ email });
      expect(response.status).toBe(202);
      const stored = await t.app
        .get(DataSource)
        .getRepository(User)
        .findOneBy({ email: email.normalize('NFKC').toLowerCase() });
      expect(stored).not.toBeNull();
    });

    it.each([
      ['a domain that mixes Latin and Cyrillic', 'alice@ex\u0430mple.com'],
      ['a domain that mixes Latin and Greek', 'alice@\u03bfrders.example'],
      ['a zero-width space', 'ali\u200Bce@example.com'],
      ['a right-to-left override', 'alice\u202E@example.com'],
    ])('refuses %s with 400', async (_name, email) => {
      expectRefusedField(await register({ email }), 'email', email);
    });

    it.each([
      ['a domain in one other script', `ivan-${randomUUID()}@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444`],
      ['a Latin domain with accents', `zoe-${randomUUID()}@b\u00fccher.example`],
    ])('accepts %s', async (_name, email) => {
      expect((await register({ email })).status).toBe(202);
    });
  });

  describe('names', () => {
    it.each([
      ['accents', 'Zoë Ångström'],
      ['a right-to-left script', 'محمد'],
      ['an emoji joined with a zero-width joiner', 'Sam 👩\u200D💻'],
    ])('accepts %s', async (_name, name) => {
      expect((await register({ name })).status).toBe(202);
    });

    it.each([
      ['a right-to-left override', 'Alice\u202Etxt.exe'],
      ['a zero-width space', 'Al\u200Bice'],
      ['a bidi isolate', 'Bob\u2067admin'],
      ['a control character', 'Ali\u0007ce'],
      ['a line separator', 'Alice\u2028Admin'],
    ])('refuses %s with 400', async (_name, name) => {
      expectRefusedField(await register({ name }), 'name', name);
    });

    it('holds a changed name to the same rule', async () => {
      const { accessToken } = await loggedIn();
      const rename = (name: string) => t.http.send({ method: 'PATCH', path: '/api/v1/users/me', token: accessToken, body: { name } });
      expectRefusedField(await rename('Eve\u202Enimda'), 'name', 'Eve\u202Enimda');
      expect((await rename('Eve Admin-Free')).status).toBe(200);
    });
  });
});
