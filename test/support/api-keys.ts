import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';
import { ApiKeyUsage } from '../../src/api-keys/api-key-usage';
import type { Caller } from './principals';

/** The 201 body of a new or rotated key (docs/http-contract.md: ApiKey plus `key`). */
export interface NewApiKey {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  key: string;
}

/** A service client as its 201 shows it once, with the headers of a token it obtained. */
export interface ClientCaller {
  id: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
  headers: Record<string, string>;
}

export const apiKeyHeader = (key: string): Record<string, string> => ({ 'x-api-key': key });

/** HTTP Basic as RFC 6749 §2.3.1 asks: id and secret form-urlencoded first, then base64 of `id:secret`. */
export function basicAuth(clientId: string, clientSecret: string): Record<string, string> {
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
  return { authorization: `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}` };
}

export function post(app: NestFastifyApplication, url: string, headers: Record<string, string>, payload?: object): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: `/api/v1${url}`, headers, payload });
}

async function created<T>(response: LightMyRequestResponse): Promise<T> {
  if (response.statusCode !== 201) throw new Error(`expected 201, got ${response.statusCode}: ${response.body}`);
  return response.json<T>();
}

/** A key for `owner` (made with the owner's access token), and `owner` calling with it. */
export async function withApiKey(app: NestFastifyApplication, owner: Caller, body: object = { name: 'test key' }): Promise<Caller & { apiKey: NewApiKey }> {
  const apiKey = await created<NewApiKey>(await post(app, '/api-keys', owner.headers, body));
  return { ...owner, apiKey, headers: apiKeyHeader(apiKey.key) };
}

/** A token request as a form body, the way RFC 6749 §4.4.2 sends it. */
export function tokenRequest(app: NestFastifyApplication, form: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/api/v1/oauth/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

/** A service client made by `admin`, calling with a client-credentials token for `scope` (default: all its scopes). */
export async function serviceClient(app: NestFastifyApplication, admin: Caller, scopes: string[], scope?: string): Promise<ClientCaller> {
  const client = await created<Omit<ClientCaller, 'headers'>>(await post(app, '/service-clients', admin.headers, { name: 'test client', scopes }));
  const response = await tokenRequest(app, { grant_type: 'client_credentials', ...(scope && { scope }) }, basicAuth(client.clientId, client.clientSecret));
  if (response.statusCode !== 200) throw new Error(`token request answered ${response.statusCode}: ${response.body}`);
  return { ...client, headers: { authorization: `Bearer ${response.json<{ access_token: string }>().access_token}` } };
}

/** A `svc_` key acting as `client`, made by `admin`, and the headers to call with it. */
export async function clientApiKey(
  app: NestFastifyApplication,
  admin: Caller,
  client: Pick<ClientCaller, 'id'>,
): Promise<{ apiKey: NewApiKey; headers: Record<string, string> }> {
  const apiKey = await created<NewApiKey>(await post(app, `/service-clients/${client.id}/api-keys`, admin.headers, { name: 'client key' }));
  return { apiKey, headers: apiKeyHeader(apiKey.key) };
}

/** Key usage (lastUsedAt, api_key.new_ip) is written in the background: wait until it is. */
export function usageWritten(app: NestFastifyApplication): Promise<void> {
  return app.get(ApiKeyUsage).settled();
}
