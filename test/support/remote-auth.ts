import { randomUUID } from 'node:crypto';
import { Account, RegisterOptions, TokenPair, uniqueEmail } from './auth';
import { Sql } from './books';
import { HttpClient, HttpReply } from './http-client';

/**
 * The auth helpers of auth.ts, over real HTTP to a service in another process. Sign-up answers `202` with no id,
 * so the id is read from the deployment's database (`db`), where the address is also marked verified unless
 * `{ verified: false }`: a fixture, as in auth.ts `register()`; the verification flow itself is tested over real
 * mail in test/account and test/services.
 */
export async function registerOverHttp(http: HttpClient, db: Sql, { verified = true }: RegisterOptions = {}): Promise<Account> {
  const body = { email: uniqueEmail(), password: `pw-${randomUUID()}`, name: 'Test User' };
  const reply = await http.send({ method: 'POST', path: '/api/v1/auth/register', body });
  if (reply.status !== 202) throw new Error(`register answered ${reply.status}: ${reply.text}`);
  const email = body.email.toLowerCase();
  const { rows } = await db.query<{ id: string }>(
    verified ? `UPDATE users SET email_verified_at = now() WHERE email = $1 RETURNING id` : `SELECT id FROM users WHERE email = $1`,
    [email],
  );
  if (rows.length !== 1) throw new Error(`register: no user ${email} in the database after the 202`);
  return { id: rows[0].id, email, password: body.password };
}

export async function loginOverHttp(http: HttpClient, account: Pick<Account, 'email' | 'password'>): Promise<TokenPair> {
  const reply = await http.send({ method: 'POST', path: '/api/v1/auth/login', body: { email: account.email, password: account.password } });
  if (reply.status !== 200) throw new Error(`login answered ${reply.status}: ${reply.text}`);
  return reply.json<TokenPair>();
}

export async function sessionOverHttp(http: HttpClient, db: Sql, options: RegisterOptions = {}): Promise<Account & { tokens: TokenPair }> {
  const account = await registerOverHttp(http, db, options);
  return { ...account, tokens: await loginOverHttp(http, account) };
}

export function refreshOverHttp(http: HttpClient, refreshToken: string): Promise<HttpReply> {
  return http.send({ method: 'POST', path: '/api/v1/auth/refresh', body: { refreshToken } });
}

export function meOverHttp(http: HttpClient, accessToken: string): Promise<HttpReply> {
  return http.send({ path: '/api/v1/users/me', token: accessToken });
}

/** An admin of a deployment: registered over HTTP, promoted in its database (as `npm run create-admin` does), logged in. */
export async function adminOverHttp(http: HttpClient, db: Sql): Promise<Account & { tokens: TokenPair }> {
  const account = await registerOverHttp(http, db);
  await db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [account.id]);
  return { ...account, tokens: await loginOverHttp(http, account) };
}
