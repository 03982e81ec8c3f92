import { HttpClient, HttpReply } from '../support/http-client';
import { adminOverHttp, registerOverHttp } from '../support/remote-auth';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';

const ROUNDS = 20;
const EMAIL_QUOTA = 5;

/**
 * Limits on credential checks hold when the checks race: attempts are counted before the password is
 * verified, atomically across instances, so at most the quota ever gets a verdict. And a limit keyed
 * by something public (a client_id) cannot be used to lock its owner out.
 */
describe('Credential limits under concurrency (two instances, Postgres and Redis)', () => {
  let deployment: ServiceDeployment;
  let instances: ServiceInstance[];
  let clients: HttpClient[];

  beforeAll(async () => {
    deployment = await ServiceDeployment.create();
    const env = {
      RATE_LIMIT_ANONYMOUS: '100000/60s',
      RATE_LIMIT_LOGIN_IP: '100000/900s',
      // A new account each round: more sign-ups from one address than the default allows.
      RATE_LIMIT_ACCOUNT_IP: '100000/900s',
      RATE_LIMIT_LOGIN_EMAIL: `${EMAIL_QUOTA}/900s`,
      RATE_LIMIT_TOKEN: '3/60s',
    };
    instances = [await deployment.start({ env }), await deployment.start({ env })];
    // Enough sockets that every attempt of a round is in flight at once.
    clients = instances.map((instance) => new HttpClient(instance.server.port, { connections: 32 }));
  }, 60_000);
  afterAll(async () => {
    clients?.forEach((client) => client.close());
    await deployment?.close();
  });

  const count = (replies: HttpReply[], status: number) => replies.filter((reply) => reply.status === status).length;

  it(`${ROUNDS} rounds: 14 parallel wrong passwords for one email over both instances get exactly ${EMAIL_QUOTA} verdicts, the rest 429`, async () => {
    const verdicts: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const account = await registerOverHttp(clients[0], deployment.db);
      const replies = await Promise.all(
        Array.from({ length: 14 }, (_, n) =>
          clients[n % 2].send({ method: 'POST', path: '/api/v1/auth/login', body: { email: account.email, password: `wrong-${n}` } }),
        ),
      );
      verdicts.push(count(replies, 401));
      expect(count(replies, 401)).toBe(EMAIL_QUOTA);
      expect(count(replies, 429)).toBe(14 - EMAIL_QUOTA);
    }
    expect(new Set(verdicts)).toEqual(new Set([EMAIL_QUOTA]));
  });

  describe('a service client', () => {
    let client: { clientId: string; clientSecret: string };
    // The token endpoint also takes JSON bodies (client_secret_post).
    const tokenRequest = (secret: string, from?: string) =>
      clients[0].send({
        method: 'POST',
        path: '/api/v1/oauth/token',
        from,
        body: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: secret },
      });

    beforeAll(async () => {
      const admin = await adminOverHttp(clients[0], deployment.db);
      const created = await clients[1].send({
        method: 'POST',
        path: '/api/v1/service-clients',
        token: admin.tokens.accessToken,
        body: { name: 'warehouse', scopes: ['orders:read'] },
      });
      expect(created.status).toBe(201);
      client = created.json<{ clientId: string; clientSecret: string }>();
    });

    it('is not locked out by wrong secrets from 20 other addresses: its right secret still gets a token', async () => {
      const attacks = await Promise.all(Array.from({ length: 20 }, (_, n) => tokenRequest('not-the-secret', `127.0.0.${n + 2}`)));
      expect(count(attacks, 401)).toBe(20);
      const legitimate = await tokenRequest(client.clientSecret, '127.0.0.1');
      expect(legitimate.status).toBe(200);
      expect(legitimate.json()).toMatchObject({ token_type: 'Bearer', scope: 'orders:read' });
    });

    it('still limits guessing from one address, with an RFC 6749 §5.2 error code on the 429', async () => {
      const replies: HttpReply[] = [];
      for (let n = 0; n < 4; n++) replies.push(await tokenRequest('not-the-secret', '127.0.0.30'));
      expect(replies.map((reply) => reply.status)).toEqual([401, 401, 401, 429]);
      const refused = replies[3];
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope']).toContain(
        refused.json().error,
      );
      // Another address, the client's own, is not held back by it.
      expect((await tokenRequest(client.clientSecret, '127.0.0.1')).status).toBe(200);
    });
  });
});
