import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
// The one piece of the test support the bench shares: a Secrets Manager endpoint the real AWS SDK talks to.
import { FakeSecretsManager } from '../test/support/fake-secrets-manager';
import { rsaPem } from '../test/support/secret-documents';
import { freePort } from '../test/support/server-process';

const ROOT = join(__dirname, '..');

/** What the loop monitor (bench/loop-monitor.js, preloaded into the service) reports for one window. */
export interface MonitorSnapshot {
  /** The service's monotonic clock, in µs: the clock of its --cpu-prof profile. */
  monotonicUs: number;
  windowMs: number;
  rssBytes: number;
  peakRssBytes: number;
  heapUsedBytes: number;
  cpuUs: { user: number; system: number };
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  counts: { pgQueries: number; redisCommands: number };
}

export interface ServiceOptions {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  /** Extra flags for node, e.g. --cpu-prof. */
  nodeFlags: string[];
  /** Count Postgres queries and Redis commands in the service (BENCH_COUNT_CALLS=1). */
  countCalls: boolean;
  /** The built service to run: `dist` by default; another build to compare two versions. */
  distDir: string;
  /** More environment for the service (BENCH_ENV_<NAME>=value sets <NAME>), e.g. UV_THREADPOOL_SIZE. */
  extraEnv: Record<string, string>;
}

/** Every general and login limit raised: the whole load comes from one client IP (see README). */
const RAISED_LIMIT = '1000000/60s';

/**
 * The built service (`dist/main.js`) in production mode, as a child process on loopback, with its
 * secret in a local Secrets Manager endpoint; the loop monitor is preloaded and answers over IPC.
 * Stdout (the request logs, LOG_LEVEL=info) is discarded, stderr kept for boot failures.
 */
export class ServiceProcess {
  private stderr = '';
  private nextId = 0;
  private readonly waiting = new Map<number, (snapshot: MonitorSnapshot) => void>();
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly secrets: FakeSecretsManager,
    readonly port: number,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-20_000)));
    child.on('message', (message: { type?: string; id?: number } & MonitorSnapshot) => {
      if (message?.type !== 'loop-monitor' || message.id === undefined) return;
      this.waiting.get(message.id)?.(message);
      this.waiting.delete(message.id);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async start(options: ServiceOptions): Promise<ServiceProcess> {
    const secrets = await FakeSecretsManager.start('orders-api/bench');
    secrets.setSecret(
      'AWSCURRENT',
      JSON.stringify({ databaseUrl: options.databaseUrl, redisUrl: options.redisUrl, jwtPrivateKey: rsaPem(), jwtKeyId: `bench-${randomBytes(4).toString('hex')}` }),
    );
    const port = await freePort();
    // A fresh environment, not the bench's: production refuses DATABASE_URL and REDIS_URL there.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_ENV: 'production',
      SECRETS_PROVIDER: 'aws',
      AWS_SECRET_ID: secrets.secretName,
      ...secrets.clientEnv,
      TRUSTED_PROXIES: '127.0.0.1/32',
      // Production needs its public https origin: the issuer of its tokens (docs/decisions/0020).
      PUBLIC_URL: 'https://orders.bench.test',
      LOG_LEVEL: 'info',
      REDIS_KEY_PREFIX: options.redisKeyPrefix,
      RATE_LIMIT_ANONYMOUS: RAISED_LIMIT,
      RATE_LIMIT_AUTHENTICATED: RAISED_LIMIT,
      RATE_LIMIT_LOGIN_IP: RAISED_LIMIT,
      RATE_LIMIT_LOGIN_EMAIL: RAISED_LIMIT,
      RATE_LIMIT_TOKEN: RAISED_LIMIT,
      ...(options.countCalls && { BENCH_COUNT_CALLS: '1' }),
      ...options.extraEnv,
    };
    const args = [...options.nodeFlags, '-r', join(ROOT, 'bench/loop-monitor.js'), join(options.distDir, 'main.js')];
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const service = new ServiceProcess(child, secrets, port);
    try {
      await service.waitUntilReady();
    } catch (error) {
      await service.stop();
      throw error;
    }
    return service;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts a new measurement window (event-loop histogram, peak RSS, call counts). */
  reset(): Promise<MonitorSnapshot> {
    return this.ask('reset');
  }

  /** The window since the last reset. */
  report(): Promise<MonitorSnapshot> {
    return this.ask('report');
  }

  /** SIGTERM by pid (graceful: a --cpu-prof profile is written on that exit), SIGKILL after 15 s. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      process.kill(this.pid, 'SIGTERM');
      const timer = setTimeout(() => this.child.exitCode === null && process.kill(this.pid, 'SIGKILL'), 15_000);
      await this.exited;
      clearTimeout(timer);
    }
    await this.secrets.close();
    return this.exited;
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 60_000;
    let ended = false;
    void this.exited.then(() => (ended = true));
    while (Date.now() < deadline) {
      if (ended) throw new Error(`the service exited during boot:\n${this.stderr}`);
      const ready = await fetch(`${this.url}/health/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the service was not ready within 60 s:\n${this.stderr}`);
  }

  private ask(op: 'reset' | 'report'): Promise<MonitorSnapshot> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error('the loop monitor did not answer'));
      }, 10_000);
      this.waiting.set(id, (snapshot) => {
        clearTimeout(timer);
        resolve(snapshot);
      });
      this.child.send({ type: 'loop-monitor', op, id });
    });
  }
}

