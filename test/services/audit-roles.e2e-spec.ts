import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { uniqueEmail } from '../support/auth';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';
import { withClient } from '../support/test-database';

const run = promisify(execFile);

/** The same database URL, as another role (trust authentication on loopback: no password). */
function asRole(url: string, role: string): string {
  const changed = new URL(url);
  changed.username = role;
  return changed.toString();
}

/**
 * The audit trail is append-only for the service (docs/http-contract.md, Audit), not only by its trigger: the
 * migrations run as an owner role (npm run migrate), the service connects as a role that owns
 * nothing and may only INSERT and SELECT on audit_events, so it can neither rewrite an event nor
 * switch the trigger off, as an owner could. Real Postgres, the built service and the built migrator.
 */
describe('Database roles: the service cannot rewrite the audit trail', () => {
  const suffix = randomBytes(4).toString('hex');
  const owner = `orders_owner_${suffix}`;
  const service = `orders_service_${suffix}`;
  let deployment: ServiceDeployment;
  let instance: ServiceInstance;
  let migrated: string;

  beforeAll(async () => {
    deployment = await ServiceDeployment.create();
    await deployment.db.query(`CREATE ROLE ${owner} LOGIN; CREATE ROLE ${service} LOGIN`);
    await deployment.db.query(`ALTER DATABASE ${new URL(deployment.databaseUrl).pathname.slice(1)} OWNER TO ${owner}`);
    const migrator = await run(process.execPath, [join(__dirname, '../../dist/cli/migrate.js')], {
      env: { PATH: process.env.PATH ?? '', MIGRATION_DATABASE_URL: asRole(deployment.databaseUrl, owner), DATABASE_SERVICE_ROLE: service },
    });
    migrated = migrator.stdout;
    instance = await deployment.start({ databaseUrl: asRole(deployment.databaseUrl, service) });
  }, 60_000);
  afterAll(async () => {
    await deployment.close();
    await withClient(process.env.DATABASE_URL!, (client) => client.query(`DROP ROLE IF EXISTS ${service}; DROP ROLE IF EXISTS ${owner}`));
  });

  const asService = <T>(work: (query: (sql: string) => Promise<unknown>) => Promise<T>) =>
    withClient(asRole(deployment.databaseUrl, service), (client) => work((sql) => client.query(sql)));

  it('migrates as the owner, and the service boots and writes its audit events as its own role', async () => {
    expect(migrated).toContain(`role ${service} granted`);
    const email = uniqueEmail();
    const registered = await instance.http.send({
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email, password: `pw-${randomUUID()}`, name: 'Audited' },
    });
    expect(registered.status).toBe(202);
    const failed = await instance.http.send({ method: 'POST', path: '/api/v1/auth/login', body: { email, password: 'not-the-password-1' } });
    expect(failed.status).toBe(401);
    // The 202 names no user: the new account is found by its address.
    const { rows } = await deployment.db.query(
      `SELECT action, outcome FROM audit_events WHERE target_id = (SELECT id::text FROM users WHERE email = $1) ORDER BY at`,
      [email],
    );
    expect(rows).toEqual([
      { action: 'auth.register', outcome: 'success' },
      { action: 'auth.login', outcome: 'failure' },
    ]);
    const { rows: owners } = await deployment.db.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'audit_events'`);
    expect(owners).toEqual([{ tableowner: owner }]);
  });

  it.each([
    ['UPDATE', `UPDATE audit_events SET action = 'forged'`, /permission denied/],
    ['DELETE', 'DELETE FROM audit_events', /permission denied/],
    ['TRUNCATE', 'TRUNCATE audit_events', /permission denied/],
    ['ALTER … DISABLE TRIGGER', 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete', /must be owner/],
    ['DROP TRIGGER', 'DROP TRIGGER audit_events_no_update_delete ON audit_events', /must be owner/],
  ])('refuses the service role %s on audit_events', async (_name, sql, refusal) => {
    await asService(async (query) => {
      await expect(query(sql)).rejects.toThrow(refusal);
      // Still readable, still appendable: what the service needs.
      await expect(query('SELECT count(*) FROM audit_events')).resolves.toBeDefined();
    });
    const { rows } = await deployment.db.query(`SELECT count(*)::int AS forged FROM audit_events WHERE action = 'forged'`);
    expect(rows).toEqual([{ forged: 0 }]);
    const { rows: triggers } = await deployment.db.query(`SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_events'::regclass ORDER BY tgname`);
    expect(triggers).toEqual([
      { tgname: 'audit_events_no_truncate', tgenabled: 'O' },
      { tgname: 'audit_events_no_update_delete', tgenabled: 'O' },
    ]);
  });

  it('where the owner could switch the trigger off (the check can fail: it is privileges that hold it)', async () => {
    await withClient(asRole(deployment.databaseUrl, owner), async (client) => {
      await client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete');
      await client.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete');
    });
  });

  it('stops the service at boot when a migration is pending, which its role may not apply', async () => {
    const [{ name }] = (await deployment.db.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1')).rows as Array<{ name: string }>;
    const { rows: before } = await deployment.db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`);
    await deployment.db.query('DELETE FROM migrations WHERE name = $1', [name]);
    try {
      const started = performance.now();
      await expect(deployment.start({ databaseUrl: asRole(deployment.databaseUrl, service) })).rejects.toThrow(/server exited with 1/);
      // Refused, not unreachable: the boot gives up at once instead of retrying (app.module.ts, toRetry).
      expect(performance.now() - started).toBeLessThan(15_000);
      expect((await deployment.db.query('SELECT count(*)::int AS n FROM migrations WHERE name = $1', [name])).rows).toEqual([{ n: 0 }]);
      expect((await deployment.db.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname`)).rows).toEqual(before);
    } finally {
      const [timestamp] = /\d{13}/.exec(name)!;
      await deployment.db.query('INSERT INTO migrations (timestamp, name) VALUES ($1, $2)', [timestamp, name]);
    }
  }, 90_000);

  it('lets the service read, but never change, the record of applied migrations', async () => {
    await asService(async (query) => {
      await expect(query('SELECT count(*) FROM migrations')).resolves.toBeDefined();
      await expect(query('DELETE FROM migrations')).rejects.toThrow(/permission denied/);
    });
  });
});
