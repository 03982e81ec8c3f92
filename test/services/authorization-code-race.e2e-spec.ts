import { HttpClient, HttpReply } from '../support/http-client';
import type { Account } from '../support/auth';
import { authorizeAs, authorizeUrl, AppClient, pkce } from '../support/oauth-apps';
import { appDeployment, appForm, ordersStatus } from '../support/oauth-deployment';
import type { ServiceDeployment, ServiceInstance } from '../support/service-deployment';

const ROUNDS = 10;

/**
 * docs/http-contract.md, Delegated authorization: a code is redeemed once, by one atomic UPDATE. Two service
 * processes share Postgres and Redis; each round, one code is redeemed on both at the same moment. Exactly one
 * gets tokens; the other is a second use, which revokes them (RFC 6749 §4.1.2), on both instances.
 */
describe('One authorization code redeemed on two instances at once (Postgres and Redis)', () => {
  let deployment: ServiceDeployment;
  let instances: ServiceInstance[];
  let spa: AppClient;
  let user: Account;

  beforeAll(async () => {
    ({ deployment, instances, spa, user } = await appDeployment('Racing SPA'));
  }, 60_000);
  afterAll(() => deployment?.close());

  const redeem = (http: HttpClient, form: Record<string, string>) => appForm(http, spa, 'token', { grant_type: 'authorization_code', ...form });

  it(`${ROUNDS} rounds: exactly one token response per code, and the second use revokes it everywhere`, async () => {
    const origin = `http://127.0.0.1:${instances[0].server.port}`;
    const outcomes: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { verifier, challenge } = pkce();
      const location = await authorizeAs(origin, authorizeUrl(origin, spa, challenge), user);
      const form = { code: location.searchParams.get('code')!, redirect_uri: spa.redirectUris[0], code_verifier: verifier };
      const replies: HttpReply[] = await Promise.all(instances.map((instance) => redeem(instance.http, form)));
      const winners = replies.filter((reply) => reply.status === 200);
      const losers = replies.filter((reply) => reply.status === 400 && reply.json().error === 'invalid_grant');
      const revoked = await Promise.all(
        winners.flatMap((reply) => instances.map((instance) => ordersStatus(instance.http, reply.json<{ access_token: string }>().access_token))),
      );
      outcomes.push(`${winners.length} won, ${losers.length} refused, winner's token then ${revoked.join('/')}`);
    }
    expect(outcomes).toEqual(Array.from({ length: ROUNDS }, () => "1 won, 1 refused, winner's token then 401/401"));
  });
});
