import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** What the loop monitor (bench/loop-monitor.js, preloaded into every measured process) reports for one window. */
export interface MonitorSnapshot {
  /** The process's monotonic clock, in µs: the clock of its --cpu-prof profile. */
  monotonicUs: number;
  windowMs: number;
  rssBytes: number;
  peakRssBytes: number;
  heapUsedBytes: number;
  cpuUs: { user: number; system: number };
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  counts: { responses: number; pgQueries: number; redisCommands: number; redisRoundTrips: number };
}

export interface SpawnOptions {
  /** node's arguments after the loop monitor: flags, then the script (and its own arguments). */
  args: string[];
  env: Record<string, string>;
  port: number;
  /** Polled until it answers 2xx: the process is then ready for load. */
  readyPath: string;
  /** Run after the process has exited (e.g. close the secrets endpoint it used). */
  afterExit?: () => Promise<void>;
}

/**
 * A server the bench measures, as a child process on loopback with the loop monitor preloaded and
 * answering over IPC. Stdout (request logs) is discarded, stderr kept for boot failures. Used for the
 * service (service-process.ts) and for the bare NestJS reference app (bare-app.ts), so both are
 * measured the same way.
 */
export class MonitoredProcess {
  private stderr = '';
  private nextId = 0;
  private readonly waiting = new Map<number, (snapshot: MonitorSnapshot) => void>();
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly afterExit: () => Promise<void>,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-20_000)));
    child.on('message', (message: { type?: string; id?: number } & MonitorSnapshot) => {
      if (message?.type !== 'loop-monitor' || message.id === undefined) return;
      this.waiting.get(message.id)?.(message);
      this.waiting.delete(message.id);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  static async spawn(options: SpawnOptions): Promise<MonitoredProcess> {
    const args = ['-r', join(ROOT, 'bench/loop-monitor.js'), ...options.args];
    const child = spawn(process.execPath, args, { cwd: ROOT, env: options.env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const monitored = new MonitoredProcess(child, options.port, options.afterExit ?? (async () => undefined));
    try {
      await monitored.waitUntilReady(options.readyPath);
    } catch (error) {
      await monitored.stop();
      throw error;
    }
    return monitored;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts a new measurement window (event-loop histogram, peak RSS, CPU time, call counts). */
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
    await this.afterExit();
    return this.exited;
  }

  private async waitUntilReady(path: string): Promise<void> {
    const deadline = Date.now() + 60_000;
    let ended = false;
    void this.exited.then(() => (ended = true));
    while (Date.now() < deadline) {
      if (ended) throw new Error(`the process exited during boot:\n${this.stderr}`);
      const ready = await fetch(`${this.url}${path}`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the process was not ready within 60 s:\n${this.stderr}`);
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
