import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { DataSource } from 'typeorm';
import { User } from '../../src/users/user.entity';

export interface Account {
  id: string;
  email: string;
  password: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID()}@example.test`;
}

export interface RegisterOptions {
  /** Mark the address verified in the database (the default), or leave the account as sign-up leaves it. */
  verified?: boolean;
}

/**
 * Signs a new user up over HTTP and returns the account. The route answers `202` with no id (the same answer for
 * a known address), so the id is read from the database. By default the address is then marked verified in the
 * database too, as `admin()` (principals.ts) promotes there: a fixture, so that tests about orders or API keys
 * need no mail round trip. The verification flow itself is tested over real mail in test/account and
 * test/services. `{ verified: false }` leaves the account unverified.
 */
export async function register(
  app: NestFastifyApplication,
  overrides: Partial<{ email: string; password: string; name: string }> = {},
  { verified = true }: RegisterOptions = {},
): Promise<Account> {
  const body = { email: uniqueEmail(), password: `pw-${randomUUID()}`, name: 'Test User', ...overrides };
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: body });
  if (response.statusCode !== 202) throw new Error(`register answered ${response.statusCode}: ${response.body}`);
  const email = body.email.toLowerCase();
  const users = app.get(DataSource).getRepository(User);
  const { id } = await users.findOneByOrFail({ email });
  if (verified) await users.update({ id }, { emailVerifiedAt: () => 'now()' });
  return { id, email, password: body.password };
}

export function loginRequest(
  app: NestFastifyApplication,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, headers });
}

export async function login(app: NestFastifyApplication, account: Pick<Account, 'email' | 'password'>): Promise<TokenPair> {
  const response = await loginRequest(app, account.email, account.password);
  if (response.statusCode !== 200) throw new Error(`login answered ${response.statusCode}: ${response.body}`);
  return response.json<TokenPair>();
}

export function refreshRequest(app: NestFastifyApplication, refreshToken: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
}

export function me(app: NestFastifyApplication, accessToken: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url: '/api/v1/users/me', headers: bearer(accessToken) });
}

/** The one 401 of docs/http-contract.md for a bad credential: exact challenge and body, whatever the reason. */
export function expectInvalidCredentials(response: LightMyRequestResponse, credentialSent = true): void {
  expect(response.statusCode).toBe(401);
  expect(response.headers['www-authenticate']).toBe(credentialSent ? 'Bearer realm="orders-api", error="invalid_token"' : 'Bearer realm="orders-api"');
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const { requestId, instance, ...body } = response.json<Record<string, unknown>>();
  expect(typeof requestId).toBe('string');
  expect(typeof instance).toBe('string');
  expect(body).toEqual({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Invalid or missing credentials' });
}

/**
 * Environment for test apps that sign up and log in many times from one address: per-IP limits
 * such a test cannot reach. The tests of the limits set their own.
 */
export function manyLoginsEnv(): Record<string, string> {
  return { RATE_LIMIT_ANONYMOUS: '100000/60s', RATE_LIMIT_LOGIN_IP: '100000/900s', RATE_LIMIT_ACCOUNT_IP: '100000/900s' };
}
