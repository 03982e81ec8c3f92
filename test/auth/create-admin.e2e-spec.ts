import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSegment } from '../support/forge-token';
import { login, loginRequest, manyLoginsEnv, register } from '../support/auth';
import { startTestApp } from '../support/test-app';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(120_000);

/**
 * `npm run create-admin` as an operator runs it: a child process reading the password from stdin,
 * on the same kind of database as the service (embedded under DATA_DIR, or Postgres), which the
 * service then boots on.
 */
describe('create-admin', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'create-admin-'));
  const env = manyLoginsEnv();
  let database: TestDatabase;

  beforeAll(async () => {
    const fresh = await createTestDatabase();
    // Embedded: the database the command makes under DATA_DIR; the service suite: a fresh Postgres database.
    database = 'postgresUrl' in fresh.target ? fresh : { ...fresh, target: { pgliteDir: dataDir } };
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function createAdmin(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const postgresUrl = 'postgresUrl' in database.target ? database.target.postgresUrl : undefined;
    // What `npm run create-admin` runs once it has built: the compiled command (npm test builds first too).
    const child = spawn(process.execPath, [join(__dirname, '../../dist/cli/create-admin.js'), ...args], {
      env: { ...process.env, ...env, DATA_DIR: dataDir, DATABASE_URL: postgresUrl ?? '', REDIS_KEY_PREFIX: database.redisKeyPrefix, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(stdin);
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  async function withApp<T>(work: (app: Awaited<ReturnType<typeof startTestApp>>['app']) => Promise<T>): Promise<T> {
    const testApp = await startTestApp({ env, database });
    try {
      return await work(testApp.app);
    } finally {
      await testApp.close();
    }
  }

  it('creates an admin with the password from stdin, then promotes an existing account', async () => {
    const created = await createAdmin(['--email', 'Boss@Example.test'], 'the boss password\n');
    expect(created).toMatchObject({ code: 0, stdout: 'Admin account boss@example.test created.\n' });
    expect(created.stdout + created.stderr).not.toContain('the boss password');

    const customer = await withApp(async (app) => {
      const token = (await login(app, { email: 'boss@example.test', password: 'the boss password' })).accessToken;
      expect(decodeSegment(token, 1)).toMatchObject({ role: 'admin' });
      return register(app);
    });

    const promoted = await createAdmin(['--email', customer.email], 'a new admin password\n');
    expect(promoted).toMatchObject({ code: 0, stdout: `Admin account ${customer.email} promoted.\n` });
    await withApp(async (app) => {
      expect((await loginRequest(app, customer.email, customer.password)).statusCode).toBe(401);
      const token = (await login(app, { email: customer.email, password: 'a new admin password' })).accessToken;
      expect(decodeSegment(token, 1)).toMatchObject({ role: 'admin' });
    });
  });

  it('refuses a bad password or missing arguments, with a message and exit code 1', async () => {
    expect(await createAdmin(['--email', 'x@example.test'], 'too short\n')).toMatchObject({
      code: 1,
      stderr: 'create-admin failed: The password must be 15 to 128 characters long\n',
    });
    expect(await createAdmin([], 'a long enough password\n')).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Usage: npm run create-admin -- --email <email>'),
    });
  });
});
