import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { HttpClient } from './http-client';
import { ServerProcess, startServerProcess } from './server-process';
import { createTestDatabase, TestDatabase } from './test-database';

/** The issuer every instance of a deployment names in its tokens (loopback: only a name here). */
const DEPLOYMENT_PUBLIC_URL = 'http://127.0.0.1:3000';

export interface ServiceInstance {
  server: ServerProcess;
  http: HttpClient;
  /** SIGTERM by pid, then the exit code; SIGKILL after `timeoutMs` (the code is then null). */
  stop(timeoutMs?: number): Promise<number | null>;
}

export interface InstanceOptions {
  env?: Record<string, string>;
  /** Where the instance finds Postgres; default the deployment's database (e.g. a TcpProxy in front of it). */
  databaseUrl?: string;
  /** Default REDIS_URL of the service suite. */
  redisUrl?: string;
}

/**
 * One deployment of the service for the service suite: a fresh Postgres database, a Redis key
 * prefix and a DATA_DIR (so every instance signs with the same local key), and the built service
 * (`dist/main.js`) running in processes of its own, as in production. The test reads the database
 * directly through `db` to check what the HTTP answers claim. `close()` stops every instance still
 * running, by pid, and drops the database.
 */
export class ServiceDeployment {
  private readonly running = new Set<ServiceInstance>();

  private constructor(
    private readonly database: TestDatabase,
    readonly databaseUrl: string,
    /** The instances' DATA_DIR: where the local signing key lives, shared by all of them. */
    readonly dataDir: string,
    readonly db: Pool,
  ) {}

  static async create(): Promise<ServiceDeployment> {
    const database = await createTestDatabase();
    if (!('postgresUrl' in database.target)) throw new Error('ServiceDeployment needs DATABASE_URL (the service suite)');
    const url = database.target.postgresUrl;
    return new ServiceDeployment(database, url, mkdtempSync(join(tmpdir(), 'orders-deployment-')), new Pool({ connectionString: url, max: 3 }));
  }

  /** Starts one more instance; instances start one at a time, since the first one runs the migrations. */
  async start({ env = {}, databaseUrl = this.databaseUrl, redisUrl = process.env.REDIS_URL! }: InstanceOptions = {}): Promise<ServiceInstance> {
    const server = await startServerProcess({
      NODE_ENV: 'test',
      DATA_DIR: this.dataDir,
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: this.database.redisKeyPrefix,
      // Instances of one deployment share one public URL (the issuer), so each accepts the others' tokens.
      PUBLIC_URL: DEPLOYMENT_PUBLIC_URL,
      ...env,
    });
    const instance: ServiceInstance = {
      server,
      http: new HttpClient(server.port),
      stop: async (timeoutMs = 10_000) => {
        const killer = setTimeout(() => server.child.kill('SIGKILL'), timeoutMs);
        server.child.kill('SIGTERM');
        const code = await server.exited;
        clearTimeout(killer);
        instance.http.close();
        this.running.delete(instance);
        return code;
      },
    };
    this.running.add(instance);
    return instance;
  }

  async close(): Promise<void> {
    for (const instance of [...this.running]) await instance.stop();
    await this.db.end();
    await this.database.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
