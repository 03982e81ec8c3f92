import { setTimeout as sleep } from 'node:timers/promises';
import { HttpClient, HttpReply, HttpRequest, socketErrorCode } from './http-client';

export interface LoadOptions {
  /** The service's port (another process, so the load does not share its event loop). */
  port: number;
  /** Virtual users, each on one keep-alive connection of its own: the number of concurrent connections. */
  users: number;
  /** Hard bound on the run; `LoadRun.stop()` ends it earlier. */
  durationMs: number;
  /** One virtual user's whole life: loops while `user.running`, sending through `user.send`. */
  behaviour: (user: VirtualUser) => Promise<void>;
  /** The phase the first requests are counted in (default `steady`). */
  phase?: string;
  /** A request unanswered after this long counts as a socket error (`ETIMEDOUT`); default 10 s. */
  requestTimeoutMs?: number;
}

/** What the run saw, per phase, request label and status (or socket error code). */
export interface LoadReport {
  requests: number;
  elapsedMs: number;
  /** e.g. `{ "steady POST /orders 201": 812, "cut GET /products 503": 40 }`. */
  outcomes: Record<string, number>;
  /** Responses with a 5xx status, and requests that got no response at all. */
  serverErrors: number;
  socketErrors: number;
  maxLatencyMs: number;
}

/**
 * A bounded load run: `users` virtual users sending requests as fast as the service answers them,
 * until `durationMs` has passed or `stop()` is called. Tests set `phase` (e.g. `before`, `cutting`
 * while they act, `cut`, `after`) so each outcome is counted in the phase it was sent and answered in.
 */
export class LoadRun {
  phase: string;
  private stopped = false;
  private readonly startedAt = performance.now();
  private readonly report: LoadReport = { requests: 0, elapsedMs: 0, outcomes: {}, serverErrors: 0, socketErrors: 0, maxLatencyMs: 0 };
  private readonly done: Promise<void>;

  constructor(options: LoadOptions) {
    this.phase = options.phase ?? 'steady';
    const deadline = this.startedAt + options.durationMs;
    const running = () => !this.stopped && performance.now() < deadline;
    const users = Array.from({ length: options.users }, (_, index) => new VirtualUser(index, this, options.port, running, options.requestTimeoutMs));
    this.done = Promise.all(users.map((user) => options.behaviour(user).finally(() => user.close()))).then(() => undefined);
  }

  stop(): void {
    this.stopped = true;
  }

  /** Waits for every virtual user's last request, then reports. */
  async finished(): Promise<LoadReport> {
    await this.done;
    this.report.elapsedMs = Math.round(performance.now() - this.startedAt);
    return this.report;
  }

  /**
   * Counts one outcome in the phase its request was sent in, or in `transition` when the phase
   * changed while it was in flight (it may have been answered before or after the change).
   */
  record(sentIn: string, label: string, outcome: number | string, latencyMs: number): void {
    const key = `${sentIn === this.phase ? sentIn : 'transition'} ${label} ${outcome}`;
    this.report.outcomes[key] = (this.report.outcomes[key] ?? 0) + 1;
    this.report.requests += 1;
    this.report.maxLatencyMs = Math.max(this.report.maxLatencyMs, Math.round(latencyMs));
    if (typeof outcome === 'string') this.report.socketErrors += 1;
    else if (outcome >= 500) this.report.serverErrors += 1;
  }
}

/** One simulated client with its own connection. */
export class VirtualUser {
  private readonly http: HttpClient;

  constructor(
    readonly index: number,
    private readonly run: LoadRun,
    port: number,
    private readonly isRunning: () => boolean,
    private readonly timeoutMs = 10_000,
  ) {
    this.http = new HttpClient(port, { connections: 1 });
  }

  get running(): boolean {
    return this.isRunning();
  }

  /**
   * Sends one request and counts its outcome under `label` (e.g. `POST /orders`). Resolves with the
   * reply, or with undefined when there was none (the socket error is counted; a short pause keeps
   * a user whose server is gone from spinning).
   */
  async send(label: string, request: HttpRequest): Promise<HttpReply | undefined> {
    const phase = this.run.phase;
    const started = performance.now();
    try {
      const reply = await this.http.send({ timeoutMs: this.timeoutMs, ...request });
      this.run.record(phase, label, reply.status, performance.now() - started);
      return reply;
    } catch (error) {
      this.run.record(phase, label, socketErrorCode(error), performance.now() - started);
      await sleep(50);
      return undefined;
    }
  }

  close(): void {
    this.http.close();
  }
}

/** The outcomes of one phase whose status (or error) is not in `expected`: `[]` when all is well. */
export function unexpectedOutcomes(report: LoadReport, phase: string, expected: Record<string, Array<number | string>>): string[] {
  return Object.entries(report.outcomes)
    .filter(([key]) => key.startsWith(`${phase} `))
    .filter(([key]) => {
      const [, method, path, outcome] = key.split(' ');
      const allowed = expected[`${method} ${path}`] ?? [];
      return !allowed.some((candidate) => String(candidate) === outcome);
    })
    .map(([key, count]) => `${key} ×${count}`);
}
