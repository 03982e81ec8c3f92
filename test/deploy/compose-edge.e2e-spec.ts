import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { BlockList } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { BODY_LIMIT_BYTES, KEEP_ALIVE_TIMEOUT_MS } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app-config';
import { loadSecrets } from '../../src/secrets/load-secrets';
import { FakeSecretsManager } from '../support/fake-secrets-manager';
import { startTestApp, TestApp } from '../support/test-app';
import { ownRateLimitCounters } from '../throttling/own-counters';
import {
  all,
  CERT_SCRIPT,
  CREATE_SECRET_SCRIPT,
  Directive,
  NGINX_TEMPLATE,
  networksOf,
  nginxBytes,
  nginxMilliseconds,
  one,
  parseNginx,
  portOf,
  readCompose,
  renderNginxTemplate,
  ROOT,
  splitPair,
  splitPort,
} from './deployment-files';

/**
 * docker-compose.yml and the nginx edge it runs, read as compose and nginx would read them, against
 * the app's own settings and behaviour. No Docker needed: a mismatch here is a deployment that
 * would boot and then refuse every request, or trust the wrong peer.
 */
describe('The compose deployment: an nginx edge in front of two API replicas', () => {
  const compose = readCompose();
  const { services } = compose;
  // The replicas are the services built from this repository's Dockerfile that run its own command
  // (the one-shot `migrate` runs the migrator instead).
  const replicas = Object.keys(services).filter((name) => services[name].build !== undefined && services[name].command === undefined);
  const edge = services.edge;
  const edgeEnvironment = edge.environment!;
  const [edgeNetwork, edgeAddress] = Object.entries(edge.networks as Record<string, { ipv4_address?: string }>)
    .filter(([, settings]) => settings?.ipv4_address)
    .map(([network, settings]) => [network, settings.ipv4_address!])[0];

  // The configuration nginx runs: the template rendered with the edge's environment.
  const http = parseNginx(renderNginxTemplate(edgeEnvironment));
  const servers = all(http, 'server');
  const httpsServer = servers.find((server) => one(server.block, 'listen').args.includes('ssl'))!;
  const redirectServer = servers.find((server) => server !== httpsServer)!;
  const proxied = locationBlock(httpsServer, '/');
  const upstream = one(http, 'upstream');

  let t: TestApp;
  beforeAll(async () => {
    // The app as a replica runs it (production: HTTPS only, HSTS; the edge trusted), secrets from the test.
    t = await startTestApp({
      env: {
        NODE_ENV: 'production',
        PUBLIC_URL: services[replicas[0]].environment!.PUBLIC_URL,
        TRUSTED_PROXIES: services[replicas[0]].environment!.TRUSTED_PROXIES,
        ...ownRateLimitCounters(),
      },
    });
  });
  afterAll(() => t.close());

  describe('the replicas', () => {
    it('are two, and exactly the servers of the upstream nginx proxies to, on the port each listens on', () => {
      expect(replicas).toEqual(['api-1', 'api-2']);
      const upstreamServers = all(upstream.block, 'server').map((server) => server.args[0]);
      expect(upstreamServers).toEqual(replicas.map((name) => `${name}:${services[name].environment!.PORT}`));
      expect(one(proxied, 'proxy_pass').args).toEqual([`http://${upstream.args[0]}`]);
    });

    it('have a configuration the app accepts, in production, trusting the edge and nothing else as a proxy', () => {
      for (const name of replicas) {
        const environment = services[name].environment!;
        const config = loadConfig(environment);
        expect(config.isProduction).toBe(true);
        expect(environment.TRUSTED_PROXIES).toBe(`${edgeAddress}/32`);
        expect(config.trustedProxies.check(edgeAddress, 'ipv4')).toBe(true);
      }
    });

    it('share the edge network, where the edge has a fixed address that Docker cannot hand to another container', () => {
      const [{ subnet, ip_range: dynamicRange }] = compose.networks[edgeNetwork].ipam!.config;
      expect(cidr(subnet).check(edgeAddress, 'ipv4')).toBe(true);
      expect(dynamicRange).toBeDefined();
      expect(cidr(dynamicRange!).check(edgeAddress, 'ipv4')).toBe(false);
      for (const name of replicas) expect(networksOf(services[name])).toContain(edgeNetwork);
    });

    it('are probed by compose on a health route the app serves over plain HTTP, on their own port', async () => {
      for (const name of replicas) {
        const { healthcheck, environment } = services[name];
        const url = new URL(/https?:\/\/[^'"]+/.exec(healthcheck!.test.join(' '))![0]);
        expect(url.protocol).toBe('http:');
        expect(url.port).toBe(environment!.PORT);
        // From inside the container: loopback, no proxy, no X-Forwarded-Proto.
        const response = await t.app.inject({ url: url.pathname, remoteAddress: '127.0.0.1' });
        expect(response.statusCode).toBe(200);
        expect(edge.depends_on![name]).toEqual({ condition: 'service_healthy' });
      }
    });
  });

  describe('database roles', () => {
    const migrate = services.migrate;
    const roleOf = (url: string) => new URL(url).username;

    it('migrate as the owner before any replica starts; the replicas connect as the role it grants, never the owner', () => {
      expect(migrate.command).toEqual(['node', 'dist/cli/migrate.js']);
      for (const name of replicas) expect(services[name].depends_on!.migrate).toEqual({ condition: 'service_completed_successfully' });
      const serviceRole = migrate.environment!.DATABASE_SERVICE_ROLE;
      expect(roleOf(services.localstack.environment!.ORDERS_DATABASE_URL)).toBe(serviceRole);
      expect(roleOf(migrate.environment!.MIGRATION_DATABASE_URL)).not.toBe(serviceRole);
      // The owner's URL is the migrator's alone.
      for (const name of replicas) expect(JSON.stringify(services[name])).not.toContain(roleOf(migrate.environment!.MIGRATION_DATABASE_URL));
    });
  });

  describe('what is exposed', () => {
    it('publishes ports on the edge and on Mailpit only', () => {
      const publishing = Object.keys(services).filter((name) => services[name].ports !== undefined);
      expect(publishing.sort()).toEqual(['edge', 'mailpit']);
    });

    it("publishes to the network on the edge only: 443 to nginx's TLS listener, 80 to its redirect to https", () => {
      const ports = edge.ports!.map(splitPort);
      // On every interface of the host: the edge is what clients reach.
      expect(ports.map((port) => port.hostIp)).toEqual([undefined, undefined]);
      const targets = Object.fromEntries(ports.map((port) => [port.published, port.target]));
      expect(Object.keys(targets).sort()).toEqual(['443', '80']);
      expect(one(httpsServer.block, 'listen').args).toEqual([targets['443'], 'ssl']);
      expect(one(redirectServer.block, 'listen').args).toEqual([targets['80']]);
      expect(one(redirectServer.block, 'return').args).toEqual(['301', 'https://$host$request_uri']);
      expect(redirectServer.block!.map((directive) => directive.name).sort()).toEqual(['listen', 'return']);
    });

    it('keeps the edge off the network of the database, Redis, LocalStack and Mailpit', () => {
      for (const name of ['postgres', 'redis', 'localstack', 'mailpit']) {
        expect(networksOf(services[name]).length).toBeGreaterThan(0);
        for (const network of networksOf(services[name])) expect(networksOf(edge)).not.toContain(network);
      }
    });
  });

  describe('mail', () => {
    const mailpit = services.mailpit;
    const smtpPort = portOf(mailpit.environment!.MP_SMTP_BIND_ADDR);
    const uiPort = portOf(mailpit.environment!.MP_UI_BIND_ADDR);

    it("publishes Mailpit's web UI on the loopback address only, and its SMTP port not at all", () => {
      // The mails hold working links: only this machine may read them. Only the replicas may send.
      expect(mailpit.ports!.map(splitPort)).toEqual([{ hostIp: '127.0.0.1', published: uiPort, target: uiPort }]);
      expect(smtpPort).not.toBe(uiPort);
    });

    it("lets the replicas reach Mailpit's SMTP listener on a network they share, once it is healthy", () => {
      for (const name of replicas) {
        expect(networksOf(services[name]).filter((network) => networksOf(mailpit).includes(network))).not.toEqual([]);
        expect(services[name].depends_on!.mailpit).toEqual({ condition: 'service_healthy' });
      }
      expect(mailpit.healthcheck!.test).toEqual(['CMD', '/mailpit', 'readyz']);
      // A pinned version, not whatever `latest` is on the day.
      expect(mailpit.image).toMatch(/^axllent\/mailpit:v\d+\.\d+\.\d+$/);
    });

    it('puts Mailpit in the secret the init script makes, as a URL the API accepts in production', async () => {
      const localstack = services.localstack;
      // The script LocalStack runs is this repository's.
      const hook = localstack.volumes!.map(splitPair).find((mount) => mount.target.startsWith('/etc/localstack/init/ready.d/'))!;
      expect(resolve(ROOT, hook.source)).toBe(CREATE_SECRET_SCRIPT);

      // The script for real, with LocalStack's environment from the compose file and a stand-in for
      // its awslocal that keeps what `secretsmanager create-secret` was given.
      const dir = mkdtempSync(join(tmpdir(), 'orders-create-secret-'));
      const bin = join(dir, 'bin');
      mkdirSync(bin);
      writeFileSync(
        join(bin, 'awslocal'),
        [
          '#!/bin/sh',
          'while [ "$#" -gt 0 ]; do',
          '  case "$1" in',
          '    --name) printf %s "$2" >"$CAPTURE_DIR/name"; shift ;;',
          '    --secret-string) cp "${2#file://}" "$CAPTURE_DIR/secret.json"; shift ;;',
          '  esac',
          '  shift',
          'done',
        ].join('\n'),
      );
      chmodSync(join(bin, 'awslocal'), 0o755);
      let secretId: string;
      let secretString: string;
      try {
        execFileSync('bash', [CREATE_SECRET_SCRIPT], {
          env: { ...localstack.environment, PATH: `${bin}:${process.env.PATH ?? ''}`, CAPTURE_DIR: dir },
          stdio: 'ignore',
        });
        [secretId, secretString] = [readFileSync(join(dir, 'name'), 'utf8'), readFileSync(join(dir, 'secret.json'), 'utf8')];
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }

      // What a replica does at boot in production: read that secret (from a stand-in for Secrets Manager)
      // with the replica's own configuration and environment, which must hold no secret itself.
      const replica = services[replicas[0]].environment!;
      expect(replica).not.toHaveProperty('SMTP_URL');
      expect(replica.AWS_SECRET_ID).toBe(secretId);
      const fake = await FakeSecretsManager.start(secretId);
      fake.setSecret('AWSCURRENT', secretString);
      const restoreEnv = fake.useInThisProcess();
      try {
        const secrets = await loadSecrets(loadConfig(replica), replica);
        expect(secrets.databaseUrl).toBe(localstack.environment!.ORDERS_DATABASE_URL);
        expect(secrets.redisUrl).toBe(localstack.environment!.ORDERS_REDIS_URL);
        const smtp = new URL(secrets.smtpUrl!);
        expect({ protocol: smtp.protocol, host: smtp.hostname, port: smtp.port }).toEqual({ protocol: 'smtp:', host: 'mailpit', port: smtpPort });
        expect(services).toHaveProperty(smtp.hostname);
      } finally {
        restoreEnv();
        await fake.close();
      }
    });
  });

  describe('TLS', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'orders-edge-cert-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('serves the certificate and key the one-shot writes, from the volume both mount', () => {
      const certService = services['tls-cert'];
      expect(edge.depends_on!['tls-cert']).toEqual({ condition: 'service_completed_successfully' });
      // The script is mounted where the one-shot runs it, and told to write to its volume.
      const script = certService.volumes!.map(splitPair).find((mount) => mount.source === './deploy/tls/make-self-signed-cert.sh')!;
      const output = certService.entrypoint!.at(-1)!;
      expect(certService.entrypoint!.slice(0, -1)).toEqual(['sh', script.target]);
      const written = certService.volumes!.map(splitPair).find((mount) => mount.target === output)!;
      const served = edge.volumes!.map(splitPair).find((mount) => mount.source === written.source)!;
      expect(Object.keys(compose.volumes)).toContain(written.source);
      expect(served.options).toBe('ro');

      const certificate = one(httpsServer.block, 'ssl_certificate').args[0];
      const key = one(httpsServer.block, 'ssl_certificate_key').args[0];
      expect(dirname(certificate)).toBe(served.target);
      expect(dirname(key)).toBe(served.target);

      // The script for real, into a directory standing for the volume.
      execFileSync('sh', [CERT_SCRIPT, dir], { stdio: 'ignore' });
      expect(existsSync(join(dir, basename(certificate)))).toBe(true);
      expect(statSync(join(dir, basename(key))).mode & 0o777).toBe(0o600);
      const made = readFileSync(join(dir, basename(certificate)));
      expect(new X509Certificate(made).checkHost('localhost')).toBe('localhost');
      // The next start keeps it: a certificate someone chose to trust stays valid.
      execFileSync('sh', [CERT_SCRIPT, dir], { stdio: 'ignore' });
      expect(readFileSync(join(dir, basename(certificate)))).toEqual(made);
    });

    it('speaks TLS 1.2 and 1.3 only, and names no nginx version', () => {
      expect(one(httpsServer.block, 'ssl_protocols').args).toEqual(['TLSv1.2', 'TLSv1.3']);
      expect(one(http, 'server_tokens').args).toEqual(['off']);
    });
  });

  describe('what the app is told about each request', () => {
    const forwarded = (header: string) => all(proxied, 'proxy_set_header').filter((directive) => directive.args[0].toLowerCase() === header.toLowerCase());

    it('X-Forwarded-Proto: the scheme the client used, which production requires to be https', () => {
      expect(forwarded('X-Forwarded-Proto').map((directive) => directive.args[1])).toEqual(['$scheme']);
    });

    it('X-Forwarded-For: the client address, replacing whatever the client sent rather than appending to it', () => {
      expect(forwarded('X-Forwarded-For').map((directive) => directive.args[1])).toEqual(['$remote_addr']);
    });

    it("no X-Forwarded-Host of the client's", () => {
      expect(forwarded('X-Forwarded-Host').map((directive) => directive.args[1])).toEqual(['']);
    });
  });

  describe('limits', () => {
    it('limits each client address at the edge, with 429, more coarsely than the app limits a client', () => {
      const [key, zone, rate] = one(http, 'limit_req_zone').args;
      expect(key).toBe('$binary_remote_addr');
      const zoneName = /^zone=(\w+):/.exec(zone)![1];
      expect(one(httpsServer.block, 'limit_req').args[0]).toBe(`zone=${zoneName}`);
      expect(one(http, 'limit_req_status').args).toEqual(['429']);
      const perSecond = Number(/^rate=(\d+)r\/s$/.exec(rate)![1]);
      const config = loadConfig(services[replicas[0]].environment);
      for (const { quota, windowSeconds } of [config.rateLimit('ANONYMOUS'), config.rateLimit('AUTHENTICATED')]) {
        expect(perSecond * windowSeconds).toBeGreaterThan(quota);
      }
    });

    it('refuses no request body the app accepts, and keeps an allowed one in memory', () => {
      const edgeLimit = nginxBytes(one(httpsServer.block, 'client_max_body_size').args[0]);
      expect(edgeLimit).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
      expect(edgeLimit).toBeGreaterThan(0);
      expect(nginxBytes(one(httpsServer.block, 'client_body_buffer_size').args[0])).toBeGreaterThanOrEqual(edgeLimit);
    });

    it('drops an idle connection to a replica before the replica would', () => {
      expect(nginxMilliseconds(one(upstream.block, 'keepalive_timeout').args[0])).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS);
    });
  });

  describe('responses', () => {
    it("add no header to the app's own: it already sends HSTS and the rest (docs/http-contract.md)", () => {
      for (const block of [http, httpsServer.block, proxied]) expect(all(block, 'add_header')).toEqual([]);
    });

    it("answer what nginx refuses itself as problem details with the app's security headers", async () => {
      const errorPage = one(httpsServer.block, 'error_page');
      expect(errorPage.args.slice(0, -1)).toEqual(['413', '429', '502', '504']);
      const problem = locationBlock(httpsServer, errorPage.args.at(-1)!);
      expect(one(problem, 'default_type').args).toEqual(['application/problem+json']);

      const titles = mapEntries(http, '$problem_title');
      for (const status of errorPage.args.slice(0, -1)) {
        expect(titles[status]).toBeTruthy();
        const body = one(problem, 'return').args[1].replace('$problem_title', titles[status]).replace('$status', status);
        expect(JSON.parse(body)).toEqual({ type: 'about:blank', title: titles[status], status: Number(status) });
      }
      // A 429 says when to come back (docs/http-contract.md, Rate limits); the others send no Retry-After.
      expect(all(problem, 'add_header').find((directive) => directive.args[0] === 'Retry-After')?.args).toEqual(['Retry-After', '$retry_after', 'always']);
      expect(mapEntries(http, '$retry_after')).toEqual({ '429': '1', default: '' });

      // The same values as an error of the app's own, as it answers a request through the edge.
      const fromApp = await t.app.inject({ url: '/api/v1/no-such-route', remoteAddress: edgeAddress, headers: { 'x-forwarded-proto': 'https' } });
      expect(fromApp.statusCode).toBe(404);
      const added = all(problem, 'add_header').filter((directive) => directive.args[0] !== 'Retry-After');
      expect(added.length).toBeGreaterThanOrEqual(7);
      for (const {
        args: [name, value, always],
      } of added) {
        expect({ [name]: fromApp.headers[name.toLowerCase()] }).toEqual({ [name]: value });
        expect(always).toBe('always');
      }
    });
  });

  describe('the nginx container', () => {
    it('renders the template: every variable it uses is set on the edge and selected by the filter', () => {
      const used = [...readFileSync(NGINX_TEMPLATE, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]);
      expect(used.length).toBeGreaterThan(0);
      for (const name of used) {
        expect(name.startsWith(edgeEnvironment.NGINX_ENVSUBST_FILTER)).toBe(true);
        expect(edgeEnvironment).toHaveProperty(name);
      }
      // The image's template directory, from this repository's.
      const templates = edge.volumes!.map(splitPair).find((mount) => mount.target === '/etc/nginx/templates')!;
      expect(resolve(ROOT, templates.source)).toBe(dirname(NGINX_TEMPLATE));
    });

    it("can write where nginx and the image's entrypoint must, on a read-only filesystem", () => {
      expect(edge.read_only).toBe(true);
      // The rendered configuration, temporary files, pid file.
      expect(edge.tmpfs).toEqual(expect.arrayContaining(['/etc/nginx/conf.d', '/var/cache/nginx', '/run']));
    });
  });
});

function locationBlock(server: Directive, path: string): Directive[] {
  const location = all(server.block, 'location').find((directive) => directive.args.join(' ') === path);
  if (!location) throw new Error(`no location ${path}`);
  return location.block!;
}

/** The entries of the `map` that defines `variable`, as { value: result }. */
function mapEntries(http: Directive[], variable: string): Record<string, string> {
  const map = all(http, 'map').find((directive) => directive.args[1] === variable);
  if (!map) throw new Error(`no map defines ${variable}`);
  return Object.fromEntries(map.block!.map((entry) => [entry.name, entry.args[0]]));
}

function cidr(range: string): BlockList {
  const [address, prefix] = range.split('/');
  const list = new BlockList();
  list.addSubnet(address, Number(prefix), 'ipv4');
  return list;
}
