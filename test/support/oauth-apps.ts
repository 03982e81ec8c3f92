import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash, randomBytes } from 'node:crypto';
import { type Account, manyLoginsEnv } from './auth';
import type { Caller } from './principals';
import { startTestAppAsIssuer, TestApp } from './test-app';

/** An app as its 201 shows it once (docs/http-contract.md, Delegated authorization). */
export interface AppClient {
  id: string;
  clientId: string;
  clientSecret?: string;
  type: 'public' | 'confidential';
  redirectUris: string[];
  scopes: string[];
}

export interface NewApp {
  name?: string;
  type: 'public' | 'confidential';
  redirectUris: string[];
  scopes?: string[];
}

/**
 * The application on a loopback port of its own, whose origin is its issuer (PUBLIC_URL): the pages are driven over
 * a real socket as a browser would, and the `iss` of each redirect names that origin. Logins and token requests
 * unlimited, for tests that make many.
 */
export async function startOAuthTestApp(): Promise<{ testApp: TestApp; origin: string }> {
  const testApp = await startTestAppAsIssuer({ env: { ...manyLoginsEnv(), RATE_LIMIT_TOKEN: '100000/60s' } });
  return { testApp, origin: testApp.origin };
}

/** An app registered by `admin` (default: both delegable scopes). */
export async function appClient(
  app: NestFastifyApplication,
  admin: Caller,
  { name = 'Order tracker', scopes = ['orders:read', 'orders:write'], ...rest }: NewApp,
): Promise<AppClient> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/oauth/clients', headers: admin.headers, payload: { name, scopes, ...rest } });
  if (response.statusCode !== 201) throw new Error(`app registration answered ${response.statusCode}: ${response.body}`);
  return response.json<AppClient>();
}

/** A PKCE verifier and its S256 challenge (RFC 7636 §4.1, §4.2), made here rather than by the server's own code. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The authorization request of RFC 6749 §4.1.1 with PKCE, as a client builds it; `overrides` with undefined leave a parameter out. */
export function authorizeUrl(
  origin: string,
  client: Pick<AppClient, 'clientId' | 'redirectUris'>,
  challenge: string,
  overrides: Record<string, string | undefined> = {},
): string {
  const parameters: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUris[0],
    scope: 'orders:read',
    state: randomBytes(8).toString('hex'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  const url = new URL('/oauth/authorize', origin);
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) url.searchParams.append(name, value);
  return url.href;
}

/** An answer of the authorization endpoint as a browser gets it, redirects not followed. */
export interface BrowserAnswer {
  status: number;
  headers: Headers;
  html: string;
  /** Where a redirect points (302, 303). */
  location?: URL;
}

/**
 * A browser at the authorization endpoint, over real HTTP (fetch, redirects not followed): it keeps the cookie the
 * endpoint sets and the hidden fields of the last form it was shown, and posts the forms as a browser would.
 */
export class AuthorizeBrowser {
  /** The request's cookie (`name=value`), as the browser would send it back. */
  cookie?: string;
  /** The hidden fields of the last form shown. */
  form?: { request: string; csrf: string };

  constructor(private readonly origin: string) {}

  async open(url: string): Promise<BrowserAnswer> {
    return this.take(await fetch(url, { redirect: 'manual', headers: this.cookieHeader() }));
  }

  signIn(account: Pick<Account, 'email' | 'password'>): Promise<BrowserAnswer> {
    return this.post('/oauth/authorize/login', { email: account.email, password: account.password });
  }

  decide(decision: 'allow' | 'deny'): Promise<BrowserAnswer> {
    return this.post('/oauth/authorize/consent', { decision });
  }

  /** Posts a form with the last form's hidden fields (or `fields` in their place) and the cookie (or `cookie`). */
  async post(
    path: string,
    fields: Record<string, string>,
    { cookie = this.cookie, form = this.form }: { cookie?: string; form?: Record<string, string> } = {},
  ): Promise<BrowserAnswer> {
    const body = new URLSearchParams({ ...form, ...fields }).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) };
    return this.take(await fetch(new URL(path, this.origin), { method: 'POST', redirect: 'manual', headers, body }));
  }

  private cookieHeader(): Record<string, string> {
    return this.cookie ? { cookie: this.cookie } : {};
  }

  private async take(response: Response): Promise<BrowserAnswer> {
    const setCookie = response.headers.getSetCookie()[0];
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const html = await response.text();
    const request = /name="request" value="([^"]+)"/.exec(html)?.[1];
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
    if (request && csrf) this.form = { request, csrf };
    const location = response.headers.get('location');
    return { status: response.status, headers: response.headers, html, ...(location && { location: new URL(location) }) };
  }
}

/** Runs the browser steps for `account`: opens the URL, signs in, allows if asked; the redirect it ends with. */
export async function authorizeAs(origin: string, url: string, account: Pick<Account, 'email' | 'password'>): Promise<URL> {
  const browser = new AuthorizeBrowser(origin);
  const login = await browser.open(url);
  if (login.status !== 200) throw new Error(`authorize answered ${login.status}: ${login.html.slice(0, 300)}`);
  let answer = await browser.signIn(account);
  if (answer.status === 200) answer = await browser.decide('allow');
  if (answer.status !== 303 || !answer.location) throw new Error(`the consent answered ${answer.status}: ${answer.html.slice(0, 300)}`);
  return answer.location;
}
