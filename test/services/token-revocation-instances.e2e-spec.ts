import { setTimeout as delay } from 'node:timers/promises';
import { HttpClient, HttpReply } from '../support/http-client';
import type { Account } from '../support/auth';
import { authorizeAs, authorizeUrl, AppClient, pkce } from '../support/oauth-apps';
import { appDeployment, appForm, appRefresh, ordersStatus } from '../support/oauth-deployment';
import type { ServiceDeployment, ServiceInstance } from '../support/service-deployment';

const ROUNDS = 40;

type TokenPair = { access_token: string; refresh_token: string };

/**
 * docs/http-contract.md, Delegated authorization: RFC 7009 revocation of a refresh token ends its whole family, on
 * every instance, even against a refresh of that token racing it on another instance. Two service processes share
 * Postgres and Redis; each round, an app revokes its refresh token on one while the same token is refreshed on the
 * other. Whichever wins, no token of the family works afterwards, on either instance.
 */
describe('Revocation racing a refresh on two instances (Postgres and Redis)', () => {
  let deployment: ServiceDeployment;
  let instances: ServiceInstance[];
  let spa: AppClient;
  let user: Account;

  beforeAll(async () => {
    ({ deployment, instances, spa, user } = await appDeployment('Signing-out SPA'));
  }, 60_000);
  afterAll(() => deployment?.close());

  const form = (http: HttpClient, route: 'token' | 'revoke', fields: Record<string, string>) => appForm(http, spa, route, fields);
  const refresh = (http: HttpClient, refreshToken: string) => appRefresh(http, spa, refreshToken);

  /** What still works of a pair, asked of both instances: "401/401" for its access token and "400" for its refresh token is none. */
  async function stillWorking(pair: TokenPair): Promise<string> {
    const access = await Promise.all(instances.map((instance) => ordersStatus(instance.http, pair.access_token)));
    return `access ${access.join('/')}, refresh ${(await refresh(instances[1].http, pair.refresh_token)).status}`;
  }

  it(`${ROUNDS} rounds: after a revocation, nothing of the family works anywhere, whatever the refresh racing it got`, async () => {
    const origin = `http://127.0.0.1:${instances[0].server.port}`;
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { verifier, challenge } = pkce();
      const location = await authorizeAs(origin, authorizeUrl(origin, spa, challenge), user);
      const code = { grant_type: 'authorization_code', code: location.searchParams.get('code')!, redirect_uri: spa.redirectUris[0], code_verifier: verifier };
      const first = (await form(instances[0].http, 'token', code)).json<TokenPair>();
      // The revocation leaves 0 to 3 ms after the refresh, so some rounds find the refresh mid-transaction.
      const [refreshed, revoked]: HttpReply[] = await Promise.all([
        refresh(instances[1].http, first.refresh_token),
        delay(round % 4).then(() => form(instances[0].http, 'revoke', { token: first.refresh_token })),
      ]);
      const pairs = [first, ...(refreshed.status === 200 ? [refreshed.json<TokenPair>()] : [])];
      const left = await Promise.all(pairs.map(stillWorking));
      outcomes.push(`revoke ${revoked.status}; ${left.filter((state) => state !== 'access 401/401, refresh 400').length} pairs still working`);
    }
    expect(outcomes).toEqual(Array.from({ length: ROUNDS }, () => 'revoke 200; 0 pairs still working'));
  });
});
