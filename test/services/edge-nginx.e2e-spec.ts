import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BODY_LIMIT_BYTES } from '../../src/app.factory';
import { CERT_SCRIPT, renderNginxTemplate } from '../deploy/deployment-files';
import { FakeSecretsManager } from '../support/fake-secrets-manager';
import { secretJson } from '../support/secret-documents';
import { freePort, ServerProcess, startServerProcess } from '../support/server-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { until } from '../support/until';
import { PRODUCTION_PUBLIC_URL } from '../support/forge-token';

const NGINX = '/usr/sbin/nginx';
const PRODUCTS = '/api/v1/products';
const ANONYMOUS_QUOTA = 100;

interface Send {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * The edge of docker-compose.yml for real: Debian's nginx running deploy/nginx's template, rendered
 * with loopback addresses instead of compose's names, in front of two replicas of the built service
 * in production mode (secrets from a Secrets Manager endpoint, this suite's Postgres and Redis),
 * with a certificate made by the same one-shot script. nginx runs in the foreground as a child of
 * this test, with every file it writes in a temporary directory, and is stopped by its pid.
 */
describe('The nginx edge in front of two production replicas (deploy/nginx, /usr/sbin/nginx)', () => {
  let database: TestDatabase;
  let fake: FakeSecretsManager;
  const replicas: ServerProcess[] = [];
  let dir: string;
  let nginx: ChildProcess;
  let nginxExited: Promise<unknown>;
  let ca: Buffer;
  let httpPort: number;
  let httpsPort: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    if (!('postgresUrl' in database.target)) throw new Error('the service suite needs DATABASE_URL');
    fake = await FakeSecretsManager.start('orders-api/production');
    fake.setSecret('AWSCURRENT', JSON.stringify(secretJson('kid-edge', { databaseUrl: database.target.postgresUrl, redisUrl: process.env.REDIS_URL! })));
    const env = {
      NODE_ENV: 'production',
      // Both replicas behind one edge: one public URL, so each accepts the other's tokens.
      PUBLIC_URL: PRODUCTION_PUBLIC_URL,
      SECRETS_PROVIDER: 'aws',
      AWS_SECRET_ID: fake.secretName,
      ...fake.clientEnv,
      REDIS_KEY_PREFIX: database.redisKeyPrefix,
      RATE_LIMIT_ANONYMOUS: `${ANONYMOUS_QUOTA}/60s`,
      // The edge is nginx on loopback: its address, and nothing else, is trusted.
      TRUSTED_PROXIES: '127.0.0.1/32',
    };
    // One after the other, as in docker-compose.yml: the first applies the migrations.
    replicas.push(await startServerProcess(env));
    replicas.push(await startServerProcess(env));

    dir = mkdtempSync(join(tmpdir(), 'orders-edge-'));
    execFileSync('sh', [CERT_SCRIPT, dir], { stdio: 'ignore' });
    ca = readFileSync(join(dir, 'cert.pem'));
    httpPort = await freePort();
    do httpsPort = await freePort();
    while (httpsPort === httpPort);
    writeFileSync(
      join(dir, 'default.conf'),
      renderNginxTemplate({
        EDGE_HTTP_LISTEN: `127.0.0.1:${httpPort}`,
        EDGE_HTTPS_LISTEN: `127.0.0.1:${httpsPort}`,
        EDGE_API_1: `127.0.0.1:${replicas[0].port}`,
        EDGE_API_2: `127.0.0.1:${replicas[1].port}`,
        EDGE_TLS_DIR: dir,
      }),
    );
    writeFileSync(join(dir, 'nginx.conf'), mainConfiguration(dir));
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
    nginxExited = new Promise((resolve) => nginx.once('exit', resolve));
    await until(() => accepts(httpsPort), 10_000).catch(() => {
      throw new Error(`nginx did not start:\n${readFileSync(join(dir, 'error.log'), 'utf8')}`);
    });
  });

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    await nginxExited;
    for (const replica of replicas) {
      replica.child.kill('SIGTERM');
      await replica.exited;
    }
    await fake?.close();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const viaEdge = (path: string, init: Send = {}) => send(`https://127.0.0.1:${httpsPort}${path}`, init, ca);
  const direct = (path: string, init: Send = {}) => send(`http://127.0.0.1:${replicas[0].port}${path}`, init);
  const remaining = (reply: Reply) => Number(/;r=(\d+);/.exec(String(reply.headers.ratelimit))![1]);

  it('brings HTTPS to the replicas: a route production refuses over plain HTTP is served through the edge', async () => {
    expect((await direct(PRODUCTS)).status).toBe(403);

    const reply = await viaEdge(PRODUCTS);
    expect(reply.status).toBe(200);
    // Once, as the app sends it: nginx adds no second copy.
    expect(reply.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(reply.headers.server).toBe('nginx');
  });

  it('redirects plain HTTP to https', async () => {
    const reply = await send(`http://127.0.0.1:${httpPort}${PRODUCTS}?limit=5`);
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe(`https://127.0.0.1${PRODUCTS}?limit=5`);
  });

  it('does not let a client pick its own address (and so a fresh rate-limit budget) with X-Forwarded-For', async () => {
    // From a trusted peer, X-Forwarded-For is believed: a new address starts a budget of its own.
    expect(remaining(await direct(PRODUCTS, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.1' } }))).toBe(ANONYMOUS_QUOTA - 1);

    // Through the edge, whatever address the client claims, its requests count against the one
    // address nginx saw: the same budget, spent one request at a time, across both replicas.
    const own = remaining(await viaEdge(PRODUCTS));
    expect(remaining(await viaEdge(PRODUCTS, { headers: { 'x-forwarded-for': '198.51.100.2' } }))).toBe(own - 1);
    expect(remaining(await viaEdge(PRODUCTS, { headers: { 'x-forwarded-for': '198.51.100.3' } }))).toBe(own - 2);
  });

  it("passes a body up to the app's limit to the app, and refuses a larger one itself, as problem details", async () => {
    const body = (size: number) => {
      const json = JSON.stringify({ email: 'someone@example.test', padding: '' });
      return json.replace('"padding":""', `"padding":"${'a'.repeat(size - json.length)}"`);
    };
    const post = (size: number) => viaEdge('/api/v1/auth/register', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(size) });

    // The app's answer: validation refuses the unknown field.
    expect((await post(BODY_LIMIT_BYTES)).status).toBe(400);

    const refused = await post(BODY_LIMIT_BYTES + 1);
    expect(refused.status).toBe(413);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(refused.headers).not.toHaveProperty('retry-after');
    expect(JSON.parse(refused.text)).toEqual({ type: 'about:blank', title: 'Content Too Large', status: 413 });
  });

  // Last: it spends this address's allowance at the edge (back within two seconds).
  it('sheds a burst from one address beyond its limit with 429 and Retry-After, before the app sees it', async () => {
    // /health/live has no limit in the app: every 429 here is nginx's.
    const replies = await Promise.all(Array.from({ length: 120 }, () => viaEdge('/health/live')));
    const statuses = replies.map((reply) => reply.status);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);

    const refused = replies.find((reply) => reply.status === 429)!;
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(refused.text)).toEqual({ type: 'about:blank', title: 'Too Many Requests', status: 429 });
  });
});

/**
 * What the nginx image's own nginx.conf provides around conf.d (where the template is rendered),
 * with every file nginx writes kept in `dir`.
 */
function mainConfiguration(dir: string): string {
  return `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/default.conf;
}
`;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** One request on a connection of its own; `ca` is the certificate to trust for https. */
function send(url: string, { method = 'GET', headers = {}, body }: Send = {}, ca?: Buffer): Promise<Reply> {
  const { protocol, port, pathname, search } = new URL(url);
  const request = protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: pathname + search, headers, agent: false, ca }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
