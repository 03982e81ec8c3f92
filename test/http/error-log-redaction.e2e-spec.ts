import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { uniqueEmail } from '../support/auth';
import { LoopbackTestApp, startTestAppOnLoopback } from '../support/test-app';

/**
 * A failed SQL statement is logged for the operator, but never with the values it carried: the
 * driver's error holds the statement's parameters and, for a constraint, the failing row, so a failed
 * insert into `users` would put an email and a password hash in the log (OWASP ASVS V7.1; API8).
 * Over real HTTP, on PGlite and (in the service suite) on Postgres.
 */
describe('The log of a failed SQL statement', () => {
  const lines: string[] = [];
  let t: LoopbackTestApp;

  beforeAll(async () => {
    t = await startTestAppOnLoopback({ env: { LOG_LEVEL: 'error' }, logStream: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => t.close());

  const register = (email: string, password: string, name: string) =>
    t.http.send({ method: 'POST', path: '/api/v1/auth/register', body: { email, password, name } });

  it('names the failure and holds none of the values: no email, name or password hash', async () => {
    expect((await register(uniqueEmail(), `pw-${randomUUID()}`, 'Before the fault')).status).toBe(202);
    // A fault of the database's own, with no value of ours in its message: every new user breaks a rule.
    const dataSource = t.app.get(DataSource);
    await dataSource.query('ALTER TABLE users ADD CONSTRAINT no_new_users CHECK (false) NOT VALID');
    const [email, password, name] = [uniqueEmail('logged'), `pw-${randomUUID()}`, `Name ${randomUUID()}`];
    try {
      const response = await register(email, password, name);
      expect(response.status).toBe(500);
    } finally {
      await dataSource.query('ALTER TABLE users DROP CONSTRAINT no_new_users');
    }

    const failures = lines.map((line) => JSON.parse(line) as { msg?: string; err?: Record<string, unknown> }).filter((entry) => entry.msg === 'request failed');
    expect(failures).toHaveLength(1);
    // Still enough for the operator: what failed, and the statement (with placeholders, not values).
    expect(failures[0].err).toMatchObject({
      message: expect.stringContaining('no_new_users'),
      code: '23514',
      query: expect.stringContaining('INSERT INTO "users"'),
    });
    const logged = lines.join('\n');
    for (const value of [email, name, '$argon2id$', password]) expect({ value, logged: logged.includes(value) }).toEqual({ value, logged: false });
  });
});
