import { randomUUID } from 'node:crypto';
import { Account, TokenPair, uniqueEmail } from './auth';
import { Sql } from './books';
import { HttpClient, HttpReply } from './http-client';

/** The auth helpers of auth.ts, over real HTTP to a service in another process. */
export async function registerOverHttp(http: HttpClient): Promise<Account> {
  const body = { email: uniqueEmail(), password: `pw-${randomUUID()}`, name: 'Test User' };
  const reply = await http.send({ method: 'POST', path: '/api/v1/auth/register', body });
  if (reply.status !== 201) throw new Error(`register answered ${reply.status}: ${reply.text}`);
  return { id: reply.json<{ id: string }>().id, email: body.email, password: body.password };
}

export async function loginOverHttp(http: HttpClient, account: Pick<Account, 'email' | 'password'>): Promise<TokenPair> {
  const reply = await http.send({ method: 'POST', path: '/api/v1/auth/login', body: { email: account.email, password: account.password } });
  if (reply.status !== 200) throw new Error(`login answered ${reply.status}: ${reply.text}`);
  return reply.json<TokenPair>();
}

export async function sessionOverHttp(http: HttpClient): Promise<Account & { tokens: TokenPair }> {
  const account = await registerOverHttp(http);
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
  const account = await registerOverHttp(http);
  await db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [account.id]);
  return { ...account, tokens: await loginOverHttp(http, account) };
}
