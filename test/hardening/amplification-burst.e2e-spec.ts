import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from '../support/http-client';
import { ServerProcess, startServerProcess } from '../support/server-process';

const BURST = 30;
const ROUNDS = 3;
/** How long each idle window and each window from a burst's start is polled. */
const WINDOW_MS = 1_000;
/** 89 KB: 9 000 keys no route knows, under the 100 KiB body limit. */
const UNKNOWN_KEYS = JSON.stringify(Object.fromEntries(Array.from({ length: 9_000 }, (_, i) => [`k${i}`, 1])));

/**
 * OWASP API4: a request must not cost the service much more to refuse than it cost to send. Before
 * the key bound, each of these bodies cost ~220 ms of synchronous validation and a 556 KB answer, and
 * 30 of them held /health/live for seconds. Measured as a ratio within one run (the service in a
 * process of its own, so the test's own work does not share its event loop).
 */
describe('A burst of bodies with thousands of unknown keys', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orders-burst-'));
  let server: ServerProcess;
  let probe: HttpClient;

  beforeAll(async () => {
    server = await startServerProcess({ DATA_DIR: dataDir, RATE_LIMIT_ANONYMOUS: '1000000/60s' });
    probe = new HttpClient(server.port, { connections: 1 });
  }, 60_000);
  afterAll(async () => {
    probe?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Latencies of /health/live, polled one request at a time for `windowMs` and until `done()`, as a health checker polls. */
  async function liveLatencies(windowMs: number, done: () => boolean = () => true): Promise<number[]> {
    const latencies: number[] = [];
    const until = performance.now() + windowMs;
    while (performance.now() < until || !done()) {
      const started = performance.now();
      expect((await probe.send({ path: '/health/live', timeoutMs: 60_000 })).status).toBe(200);
      latencies.push(performance.now() - started);
    }
    return latencies;
  }

  it('leaves /health/live p99 within 2x its idle value, each refused with a small 400', async () => {
    await liveLatencies(WINDOW_MS); // warm-up
    const attacker = new HttpClient(server.port, { connections: BURST });
    const [idle, during, sizes]: number[][] = [[], [], []];
    try {
      // Idle and burst windows alternate, so that whatever else the machine does weighs on both alike.
      for (let round = 0; round < ROUNDS; round++) {
        idle.push(...(await liveLatencies(WINDOW_MS)));
        let finished = false;
        const burst = Promise.all(
          Array.from({ length: BURST }, () => attacker.send({ method: 'POST', path: '/api/v1/auth/register', payload: UNKNOWN_KEYS, timeoutMs: 60_000 })),
        ).finally(() => (finished = true));
        during.push(...(await liveLatencies(WINDOW_MS, () => finished)));
        for (const reply of await burst) {
          expect(reply.status).toBe(400);
          sizes.push(reply.text.length);
        }
      }
    } finally {
      attacker.close();
    }
    const [quiet, busy] = [p99(idle), p99(during)];
    console.log(
      `/health/live p99: idle ${quiet.toFixed(1)} ms (${idle.length} polls), with ${ROUNDS} bursts of ${BURST} ${busy.toFixed(1)} ms (${during.length} polls); largest answer ${Math.max(...sizes)} bytes`,
    );
    expect(Math.max(...sizes)).toBeLessThan(1_024);
    // Twice the idle p99, plus 1 ms for the scheduling jitter of two client processes sharing the cores:
    // since issue 17 made /health/live cheap, its idle p99 is ~2.5 ms (it was ~8 ms), where a millisecond of
    // jitter alone reaches 2x. The bound (~6 ms) is still far under the old one (~16 ms).
    expect(busy).toBeLessThanOrEqual(2 * quiet + 1);
  }, 120_000);
});

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
}
