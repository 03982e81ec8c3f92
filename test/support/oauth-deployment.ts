import type { Account } from './auth';
import type { HttpClient, HttpReply } from './http-client';
import type { AppClient } from './oauth-apps';
import { adminOverHttp, registerOverHttp } from './remote-auth';
import { ServiceDeployment, ServiceInstance } from './service-deployment';

/** Limits no race of a few dozen rounds from one address reaches: the races test the grants, not the limits. */
const RACE_LIMITS = {
  RATE_LIMIT_ANONYMOUS: '100000/60s',
  RATE_LIMIT_LOGIN_IP: '100000/900s',
  RATE_LIMIT_TOKEN: '100000/60s',
  RATE_LIMIT_ACCOUNT_IP: '100000/900s',
};

/** Two instances on one Postgres and one Redis, a public app registered on them, and a user to authorize it. */
export interface AppDeployment {
  deployment: ServiceDeployment;
  instances: ServiceInstance[];
  spa: AppClient;
  user: Account;
}

/** Starts the deployment, registers the app (`https://spa.example/callback`, orders:read) and the user. */
export async function appDeployment(appName: string): Promise<AppDeployment> {
  const deployment = await ServiceDeployment.create();
  const instances = [await deployment.start({ env: RACE_LIMITS }), await deployment.start({ env: RACE_LIMITS })];
  const root = await adminOverHttp(instances[0].http, deployment.db);
  const registered = await instances[0].http.send({
    method: 'POST',
    path: '/api/v1/oauth/clients',
    token: root.tokens.accessToken,
    body: { name: appName, type: 'public', redirectUris: ['https://spa.example/callback'], scopes: ['orders:read'] },
  });
  if (registered.status !== 201) throw new Error(`app registration answered ${registered.status}: ${registered.text}`);
  return { deployment, instances, spa: registered.json<AppClient>(), user: await registerOverHttp(instances[0].http, deployment.db) };
}

/** A form posted to one of the app's OAuth endpoints on `http`, as the public app (its client_id alone). */
export function appForm(http: HttpClient, spa: Pick<AppClient, 'clientId'>, route: 'token' | 'revoke', fields: Record<string, string>): Promise<HttpReply> {
  const payload = new URLSearchParams({ client_id: spa.clientId, ...fields }).toString();
  return http.send({ method: 'POST', path: `/api/v1/oauth/${route}`, payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

/** The app's refresh token grant on `http` (RFC 6749 §6). */
export function appRefresh(http: HttpClient, spa: Pick<AppClient, 'clientId'>, refreshToken: string): Promise<HttpReply> {
  return appForm(http, spa, 'token', { grant_type: 'refresh_token', refresh_token: refreshToken });
}

/** The status GET /api/v1/orders answers `token` on `http`: 200 while the token works, 401 once it is revoked. */
export async function ordersStatus(http: HttpClient, token: string): Promise<number> {
  return (await http.send({ path: '/api/v1/orders', token })).status;
}
