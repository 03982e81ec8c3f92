import { manyLoginsEnv } from '../support/auth';
import { HttpClient, HttpReply } from '../support/http-client';
import { AppClient, AuthorizeBrowser, authorizeUrl, pkce } from '../support/oauth-apps';
import { adminOverHttp, publicAppOverHttp, sessionOverHttp } from '../support/remote-auth';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';

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
 * token it had, and whatever the racing refresh returned. The withdrawal deletes the consent first, and a refresh
 * holds the consent's row while it issues, so the revocation sees its token or the refresh finds no consent.
 */
describe('Withdrawing an app’s authorization on one instance, racing a refresh on the other (Postgres and Redis)', () => {
  let deployment: ServiceDeployment;
  let a: ServiceInstance;
  let b: ServiceInstance;
  let spa: AppClient;
  let user: { email: string; password: string; tokens: { accessToken: string } };

  beforeAll(async () => {
    deployment = await ServiceDeployment.create();
    const env = { ...manyLoginsEnv(), RATE_LIMIT_TOKEN: '100000/60s', RATE_LIMIT_AUTHENTICATED: '100000/60s' };
    a = await deployment.start({ env });
    b = await deployment.start({ env });
    const root = await adminOverHttp(a.http, deployment.db);
    spa = await publicAppOverHttp(a.http, root.tokens.accessToken, 'Withdrawn SPA');
    user = await sessionOverHttp(a.http, deployment.db);
  }, 60_000);
  afterAll(() => deployment?.close());

  const form = (http: HttpClient, fields: Record<string, string>) =>
    http.send({
      method: 'POST',
      path: '/api/v1/oauth/token',
      payload: new URLSearchParams({ client_id: spa.clientId, ...fields }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  const refresh = (http: HttpClient, refreshToken: string) => form(http, { grant_type: 'refresh_token', refresh_token: refreshToken });
  const ordersWith = async (http: HttpClient, token: string) => (await http.send({ path: '/api/v1/orders', token })).status;
  const refreshRefused = async (http: HttpClient, refreshToken: string) => {
    const reply = await refresh(http, refreshToken);
    return reply.status === 400 && reply.json().error === 'invalid_grant';
  };

  /** The code flow through instance A's pages and token endpoint; whether the consent page was shown on the way. */
  async function authorizeOnA(): Promise<{ tokens: AppTokens; consentAsked: boolean }> {
    const origin = `http://127.0.0.1:${a.server.port}`;
    const { verifier, challenge } = pkce();
    const browser = new AuthorizeBrowser(origin);
    await browser.open(authorizeUrl(origin, spa, challenge));
    let answer = await browser.signIn(user);
    const consentAsked = answer.status === 200;
    if (consentAsked) answer = await browser.decide('allow');
    const code = answer.location!.searchParams.get('code')!;
    const reply = await form(a.http, { grant_type: 'authorization_code', code, redirect_uri: spa.redirectUris[0], code_verifier: verifier });
    expect(reply.status).toBe(200);
    return { tokens: reply.json<AppTokens>(), consentAsked };
  }

  it(`${ROUNDS} rounds: after a withdrawal on A, the app's token is refused on B, and a refresh racing it on B leaves no token working`, async () => {
    const outcomes: string[] = [];
    const refreshes = new Map<number, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const { tokens, consentAsked } = await authorizeOnA();
      const before = await ordersWith(b.http, tokens.access_token);
      const [withdrawn, raced]: HttpReply[] = await Promise.all([
        a.http.send({ method: 'DELETE', path: `/api/v1/users/me/authorizations/${spa.clientId}`, token: user.tokens.accessToken }),
        refresh(b.http, tokens.refresh_token),
      ]);
      refreshes.set(raced.status, (refreshes.get(raced.status) ?? 0) + 1);
      const left: string[] = [];
      if ((await ordersWith(b.http, tokens.access_token)) !== 401) left.push('the first access token on B');
      if (raced.status === 200) {
        const next = raced.json<AppTokens>();
        for (const instance of [a, b])
          if ((await ordersWith(instance.http, next.access_token)) !== 401) left.push(`the refreshed access token on ${instance === a ? 'A' : 'B'}`);
        if (!(await refreshRefused(a.http, next.refresh_token))) left.push('the refreshed refresh token');
      } else if (raced.status !== 400 || raced.json().error !== 'invalid_grant') {
        left.push(`a refresh answered ${raced.status}`);
      }
      if (!(await refreshRefused(b.http, tokens.refresh_token))) left.push('the first refresh token');
      outcomes.push(`consent asked ${consentAsked}, before ${before}, withdrawal ${withdrawn.status}, still working: ${left.join(', ') || 'nothing'}`);
    }
    console.log(`Refreshes racing a withdrawal, by status: ${JSON.stringify(Object.fromEntries(refreshes))}`);
    expect(outcomes).toEqual(Array.from({ length: ROUNDS }, () => 'consent asked true, before 200, withdrawal 204, still working: nothing'));
  });

  it('asks for consent again on either instance once withdrawn, and lists the app on neither', async () => {
    const origin = `http://127.0.0.1:${b.server.port}`;
    const browser = new AuthorizeBrowser(origin);
    await browser.open(authorizeUrl(origin, spa, pkce().challenge));
    expect((await browser.signIn(user)).status).toBe(200);
    for (const instance of [a, b]) {
      const listed = await instance.http.send({ path: '/api/v1/users/me/authorizations', token: user.tokens.accessToken });
      expect(listed.json()).toEqual({ data: [], page: { limit: 20, offset: 0, total: 0 } });
    }
  });
});
