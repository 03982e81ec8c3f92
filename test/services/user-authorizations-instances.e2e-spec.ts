import type { Account, TokenPair } from '../support/auth';
import { HttpClient, HttpReply } from '../support/http-client';
import { AppClient, AuthorizeBrowser, authorizeUrl, pkce } from '../support/oauth-apps';
import { appDeployment, appForm, appRefresh, ordersStatus } from '../support/oauth-deployment';
import { loginOverHttp } from '../support/remote-auth';
import type { ServiceDeployment, ServiceInstance } from '../support/service-deployment';

const ROUNDS = 20;

interface AppTokens {
  access_token: string;
  refresh_token: string;
}

/**
 * docs/http-contract.md, Delegated authorization: withdrawing an app's authorization ends its tokens at once, on
 * every instance. Two service processes share Postgres and Redis. Each round, the user authorizes the app on
 * instance A (the consent page shows every time: the last round's withdrawal forgot the consent), withdraws it on
 * A while the app refreshes on B at the same moment, and then nothing the app holds works anywhere: the access
 * token it had, and whatever the racing refresh returned. The revocation repeats until it finds no token left
 * unrevoked, so a rotation racing it cannot leave the token it inserts behind (RefreshTokensRepository.revokeAll).
 * Then a code redeemed on B at the moment of a withdrawal on A: the redemption holds the consent's row, which the
 * withdrawal deletes first, so either the revocation sees the family it opened or it finds no consent
 * (AuthorizationRequestsRepository.redeem; without that lock, about half the rounds left a working pair).
 */
describe('Withdrawing an app’s authorization on one instance, racing a refresh on the other (Postgres and Redis)', () => {
  let deployment: ServiceDeployment;
  let a: ServiceInstance;
  let b: ServiceInstance;
  let spa: AppClient;
  let user: Account;
  let userTokens: TokenPair;

  beforeAll(async () => {
    let instances: ServiceInstance[];
    ({ deployment, instances, spa, user } = await appDeployment('Withdrawn SPA'));
    [a, b] = instances;
    userTokens = await loginOverHttp(a.http, user);
  }, 60_000);
  afterAll(() => deployment?.close());

  const form = (http: HttpClient, fields: Record<string, string>) => appForm(http, spa, 'token', fields);
  const refresh = (http: HttpClient, refreshToken: string) => appRefresh(http, spa, refreshToken);
  const refreshRefused = async (http: HttpClient, refreshToken: string) => {
    const reply = await refresh(http, refreshToken);
    return reply.status === 400 && reply.json().error === 'invalid_grant';
  };

  /** A code through instance A's pages, and whether the consent page was shown on the way. */
  async function codeOnA(): Promise<{ redemption: Record<string, string>; consentAsked: boolean }> {
    const origin = `http://127.0.0.1:${a.server.port}`;
    const { verifier, challenge } = pkce();
    const browser = new AuthorizeBrowser(origin);
    await browser.open(authorizeUrl(origin, spa, challenge));
    let answer = await browser.signIn(user);
    const consentAsked = answer.status === 200;
    if (consentAsked) answer = await browser.decide('allow');
    const code = answer.location!.searchParams.get('code')!;
    return { redemption: { grant_type: 'authorization_code', code, redirect_uri: spa.redirectUris[0], code_verifier: verifier }, consentAsked };
  }

  const withdrawOnA = () => a.http.send({ method: 'DELETE', path: `/api/v1/users/me/authorizations/${spa.clientId}`, token: userTokens.accessToken });

  /** What still works of a token response racing a withdrawal (nothing, if it was refused), named as `whose`. */
  async function leftWorking(raced: HttpReply, whose: string): Promise<string[]> {
    if (raced.status !== 200) return raced.status === 400 && raced.json().error === 'invalid_grant' ? [] : [`${whose} answered ${raced.status}`];
    const left: string[] = [];
    const next = raced.json<AppTokens>();
    for (const instance of [a, b])
      if ((await ordersStatus(instance.http, next.access_token)) !== 401) left.push(`${whose} access token on ${instance === a ? 'A' : 'B'}`);
    if (!(await refreshRefused(a.http, next.refresh_token))) left.push(`${whose} refresh token`);
    return left;
  }

  it(`${ROUNDS} rounds: after a withdrawal on A, the app's token is refused on B, and a refresh racing it on B leaves no token working`, async () => {
    const outcomes: string[] = [];
    const refreshes = new Map<number, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const { redemption, consentAsked } = await codeOnA();
      const redeemed = await form(a.http, redemption);
      expect(redeemed.status).toBe(200);
      const tokens = redeemed.json<AppTokens>();
      const before = await ordersStatus(b.http, tokens.access_token);
      const [withdrawn, raced] = await Promise.all([withdrawOnA(), refresh(b.http, tokens.refresh_token)]);
      refreshes.set(raced.status, (refreshes.get(raced.status) ?? 0) + 1);
      const left = await leftWorking(raced, 'the refresh’s');
      if ((await ordersStatus(b.http, tokens.access_token)) !== 401) left.push('the first access token on B');
      if (!(await refreshRefused(b.http, tokens.refresh_token))) left.push('the first refresh token');
      outcomes.push(`consent asked ${consentAsked}, before ${before}, withdrawal ${withdrawn.status}, still working: ${left.join(', ') || 'nothing'}`);
    }
    console.log(`Refreshes racing a withdrawal, by status: ${JSON.stringify(Object.fromEntries(refreshes))}`);
    expect(outcomes).toEqual(Array.from({ length: ROUNDS }, () => 'consent asked true, before 200, withdrawal 204, still working: nothing'));
  });

  it(`${ROUNDS} rounds: a code redeemed on B at the moment the authorization is withdrawn on A opens nothing that works`, async () => {
    const outcomes: string[] = [];
    const redemptions = new Map<number, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const { redemption } = await codeOnA();
      const [withdrawn, raced] = await Promise.all([withdrawOnA(), form(b.http, redemption)]);
      redemptions.set(raced.status, (redemptions.get(raced.status) ?? 0) + 1);
      outcomes.push(`withdrawal ${withdrawn.status}, still working: ${(await leftWorking(raced, 'the redemption’s')).join(', ') || 'nothing'}`);
    }
    console.log(`Code redemptions racing a withdrawal, by status: ${JSON.stringify(Object.fromEntries(redemptions))}`);
    expect(outcomes).toEqual(Array.from({ length: ROUNDS }, () => 'withdrawal 204, still working: nothing'));
  });

  it('asks for consent again on either instance once withdrawn, and lists the app on neither', async () => {
    const origin = `http://127.0.0.1:${b.server.port}`;
    const browser = new AuthorizeBrowser(origin);
    await browser.open(authorizeUrl(origin, spa, pkce().challenge));
    expect((await browser.signIn(user)).status).toBe(200);
    for (const instance of [a, b]) {
      const listed = await instance.http.send({ path: '/api/v1/users/me/authorizations', token: userTokens.accessToken });
      expect(listed.json()).toEqual({ data: [], page: { limit: 20, offset: 0, total: 0 } });
    }
  });
});
