import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';

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

export async function register(app: NestFastifyApplication, overrides: Partial<{ email: string; password: string; name: string }> = {}): Promise<Account> {
  const body = { email: uniqueEmail(), password: `pw-${randomUUID()}`, name: 'Test User', ...overrides };
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: body });
  if (response.statusCode !== 201) throw new Error(`register answered ${response.statusCode}: ${response.body}`);
  return { id: response.json<{ id: string }>().id, email: body.email.toLowerCase(), password: body.password };
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
 * Environment for test apps that log in many times from one address: per-IP limits such a test
 * cannot reach. The tests of the limits set their own.
 */
export function manyLoginsEnv(): Record<string, string> {
  return { RATE_LIMIT_ANONYMOUS: '100000/60s', RATE_LIMIT_LOGIN_IP: '100000/900s' };
}
