import { setTimeout as sleep } from 'node:timers/promises';
import { TokenPair } from '../support/auth';
import { HttpClient, HttpReply } from '../support/http-client';
import { adminOverHttp, loginOverHttp, meOverHttp, refreshOverHttp, registerOverHttp } from '../support/remote-auth';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';

const ROUNDS = 20;

/**
 * A password change or a suspension wins over every login that has not yet committed its session,
 * and revocation is exact (not rounded to a second). Two service processes share Postgres and
 * Redis; the login and the revocation go through different instances, at once.
 */
describe('Logins racing revocations (two instances, Postgres and Redis)', () => {
  let deployment: ServiceDeployment;
  let instances: ServiceInstance[];
  let adminToken: string;

  beforeAll(async () => {
    deployment = await ServiceDeployment.create();
    const env = {
      RATE_LIMIT_AUTHENTICATED: '100000/60s',
      RATE_LIMIT_ANONYMOUS: '100000/60s',
      RATE_LIMIT_LOGIN_IP: '100000/900s',
      RATE_LIMIT_LOGIN_EMAIL: '1000/900s',
      // A new account each round: more sign-ups from one address than the default allows.
      RATE_LIMIT_ACCOUNT_IP: '100000/900s',
    };
    instances = [await deployment.start({ env }), await deployment.start({ env })];
    adminToken = (await adminOverHttp(instances[0].http, deployment.db)).tokens.accessToken;
  }, 60_000);
  afterAll(() => deployment?.close());

  const [a, b] = [() => instances[0].http, () => instances[1].http];
  const loginReply = (http: HttpClient, email: string, password: string) =>
    http.send({ method: 'POST', path: '/api/v1/auth/login', body: { email, password } });
  const suspend = (userId: string) => a().send({ method: 'POST', path: `/api/v1/users/${userId}/suspend`, token: adminToken, body: {} });
  const changePassword = (http: HttpClient, token: string, currentPassword: string, newPassword: string) =>
    http.send({ method: 'POST', path: '/api/v1/auth/password', token, body: { currentPassword, newPassword } });

  /** What a session from before the revocation can still do: the statuses of /users/me on both instances and of a refresh. */
  async function afterRevocation(tokens: TokenPair): Promise<number[]> {
    const reads = await Promise.all([meOverHttp(a(), tokens.accessToken), meOverHttp(b(), tokens.accessToken)]);
    const refreshed = await refreshOverHttp(b(), tokens.refreshToken);
    return [...reads.map((reply) => reply.status), refreshed.status];
  }

  const granted = (replies: HttpReply[]) => replies.filter((reply) => reply.status === 200).map((reply) => reply.json<TokenPair>());

  it(`${ROUNDS} rounds: a login with the old password 0-80 ms into a password change leaves no working session`, async () => {
    let loginsGranted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const account = await registerOverHttp(a(), deployment.db);
      const victim = await loginOverHttp(a(), account);
      const change = changePassword(a(), victim.accessToken, account.password, `${account.password}-new`);
      await sleep((round * 4) % 80);
      const attacker = await loginReply(b(), account.email, account.password);
      expect((await change).status).toBe(204);
      expect([200, 401]).toContain(attacker.status);
      for (const session of granted([attacker])) {
        loginsGranted++;
        expect(await afterRevocation(session)).toEqual([401, 401, 401]);
      }
      expect(await afterRevocation(victim)).toEqual([401, 401, 401]);
    }
    // How often the old password still opened a session before the change committed (revoked by it).
    console.log(`password change race: ${loginsGranted} of ${ROUNDS} racing logins answered 200, none kept working`);
  });

  it(`${ROUNDS} rounds: logins in flight when the user is suspended never yield a working token`, async () => {
    let loginsGranted = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const account = await registerOverHttp(a(), deployment.db);
      const logins = Array.from({ length: 4 }, (_, n) => loginReply(n % 2 ? b() : a(), account.email, account.password));
      await sleep((round * 13) % 200);
      expect((await suspend(account.id)).status).toBe(204);
      const sessions = granted(await Promise.all(logins));
      loginsGranted += sessions.length;
      for (const session of sessions) expect(await afterRevocation(session)).toEqual([401, 401, 401]);
    }
    console.log(`suspension race: ${loginsGranted} of ${ROUNDS * 4} racing logins answered 200, none kept working`);
  });

  it(`${ROUNDS} rounds: API keys asked for with a token every 10 ms through a password change never work after it`, async () => {
    let keysMade = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const account = await registerOverHttp(a(), deployment.db);
      const stolen = await loginOverHttp(b(), account);
      const change = changePassword(a(), stolen.accessToken, account.password, `${account.password}-new`);
      // The change spends ~200 ms in argon2 before its transaction: a request every 10 ms lands in it.
      const asked: Array<Promise<HttpReply>> = [];
      for (let n = 0; n < 40; n++, await sleep(10)) {
        asked.push((n % 2 ? a() : b()).send({ method: 'POST', path: '/api/v1/api-keys', token: stolen.accessToken, body: { name: `kept by the thief ${n}` } }));
      }
      expect((await change).status).toBe(204);
      for (const key of (await Promise.all(asked)).filter((reply) => reply.status === 201)) {
        keysMade++;
        const headers = { 'x-api-key': key.json<{ key: string }>().key };
        const uses = await Promise.all([a().send({ path: '/api/v1/orders', headers }), b().send({ path: '/api/v1/orders', headers })]);
        expect(uses.map((reply) => reply.status)).toEqual([401, 401]);
      }
    }
    console.log(`API key race: ${keysMade} keys were made while the change ran, none kept working`);
  });

  it(`${ROUNDS} rounds: two password changes racing (the owner's and a thief's with the old password): exactly one wins, and only its password works`, async () => {
    let firstWon = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const account = await registerOverHttp(a(), deployment.db);
      const [owner, thief] = [await loginOverHttp(a(), account), await loginOverHttp(b(), account)];
      const [ownerPassword, thiefPassword] = [`${account.password}-owner`, `${account.password}-thief`];
      const ownerChange = changePassword(a(), owner.accessToken, account.password, ownerPassword);
      await sleep((round * 4) % 80);
      const thiefChange = changePassword(b(), thief.accessToken, account.password, thiefPassword);
      const statuses = [(await ownerChange).status, (await thiefChange).status];
      expect(statuses.filter((status) => status === 204)).toHaveLength(1);
      // The loser is refused either way: 401 when its token was revoked before its write, 403 when it
      // read the winner's hash, which the old password no longer matches.
      expect(statuses.filter((status) => status === 401 || status === 403)).toHaveLength(1);
      const winner = statuses[0] === 204 ? ownerPassword : thiefPassword;
      const loser = statuses[0] === 204 ? thiefPassword : ownerPassword;
      if (statuses[0] === 204) firstWon++;
      expect((await loginReply(b(), account.email, loser)).status).toBe(401);
      expect((await loginReply(a(), account.email, winner)).status).toBe(200);
    }
    console.log(`password change against password change: the first one won ${firstWon} of ${ROUNDS} rounds`);
  });

  it(`${ROUNDS} rounds: password change, login and suspension within one second void the last login's token`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const account = await registerOverHttp(a(), deployment.db);
      const first = await loginOverHttp(a(), account);
      const newPassword = `${account.password}-new`;
      expect((await changePassword(b(), first.accessToken, account.password, newPassword)).status).toBe(204);
      const second = await loginOverHttp(a(), { email: account.email, password: newPassword });
      expect((await meOverHttp(b(), second.accessToken)).status).toBe(200);
      expect((await suspend(account.id)).status).toBe(204);
      expect(await afterRevocation(second)).toEqual([401, 401, 401]);
    }
  });
});
