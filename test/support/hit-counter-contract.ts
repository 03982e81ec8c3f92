import { loadConfig } from '../../src/config/app-config';
import { HitCounter } from '../../src/throttling/hit-counter';
import { tooManyRequests } from '../../src/throttling/rate-limit-fields';
import { RateLimiter } from '../../src/throttling/rate-limiter';

export interface HitCounterFixture {
  counter: HitCounter;
  /** Lets the counter's clock move on: a fake clock in memory, a real wait against Redis. */
  elapse: (ms: number) => Promise<void>;
  close?(): void;
}

// Small enough to keep the real-Redis run short, large enough for timer jitter.
const WINDOW_MS = 200;

/** The behaviour every HitCounter must have (see hit-counter.ts), run against each implementation. */
export function describeHitCounterContract(makeFixture: () => HitCounterFixture): void {
  let counter: HitCounter;
  let elapse: HitCounterFixture['elapse'];
  let fixture: HitCounterFixture;

  beforeEach(() => {
    fixture = makeFixture();
    ({ counter, elapse } = fixture);
  });
  afterEach(() => fixture.close?.());

  const hitTimes = async (key: string, times: number, policy = { windowMs: WINDOW_MS, limit: 3 }) => {
    const results = [];
    for (let i = 0; i < times; i++) results.push(await counter.hit(key, policy));
    return results;
  };

  it('counts hits in a window and blocks only past the limit', async () => {
    const results = await hitTimes('counting', 4);
    expect(results.map((result) => [result.hits, result.blocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
    ]);
    for (const { resetMs } of results) {
      expect(resetMs).toBeGreaterThan(0);
      expect(resetMs).toBeLessThanOrEqual(WINDOW_MS);
    }
  });

  it('lets exactly N of N+1 concurrent hits through', async () => {
    const limit = 20;
    const results = await Promise.all(Array.from({ length: limit + 1 }, () => counter.hit('concurrent', { windowMs: 5_000, limit })));
    expect(results.filter((result) => !result.blocked)).toHaveLength(limit);
    expect(results.map((result) => result.hits).sort((a, b) => a - b)).toEqual(Array.from({ length: limit + 1 }, (_, i) => i + 1));
  });

  it('does not move the end of the window on later hits', async () => {
    await hitTimes('fixed-window', 1);
    await elapse(WINDOW_MS * 0.6);
    expect((await hitTimes('fixed-window', 1))[0].hits).toBe(2);
    await elapse(WINDOW_MS * 0.6);
    expect((await hitTimes('fixed-window', 1))[0].hits).toBe(1);
  });

  it('starts counting from zero once the window has passed', async () => {
    expect((await hitTimes('expiry', 4))[3].blocked).toBe(true);
    await elapse(WINDOW_MS + 50);
    expect(await counter.peek('expiry')).toEqual({ hits: 0, resetMs: 0 });
    expect(await hitTimes('expiry', 1)).toEqual([expect.objectContaining({ hits: 1, blocked: false })]);
  });

  it('never blocks steady traffic at half the limit over three windows', async () => {
    const limit = 10;
    const interval = WINDOW_MS / (limit / 2);
    for (let elapsed = 0; elapsed < 3 * WINDOW_MS; elapsed += interval) {
      const { hits, blocked } = await counter.hit('steady', { windowMs: WINDOW_MS, limit });
      expect(blocked).toBe(false);
      expect(hits).toBeLessThanOrEqual(limit / 2 + 1);
      await elapse(interval);
    }
  });

  it('keeps a key blocked for blockMs after it crosses the limit, without extending it on later hits', async () => {
    const policy = { windowMs: WINDOW_MS, limit: 1, blockMs: 2.5 * WINDOW_MS };
    await counter.hit('block', policy);
    const crossing = await counter.hit('block', policy);
    expect(crossing.blocked).toBe(true);
    expect(crossing.resetMs).toBeGreaterThan(WINDOW_MS);
    await elapse(1.5 * WINDOW_MS);
    expect((await counter.hit('block', policy)).blocked).toBe(true);
    await elapse(1.25 * WINDOW_MS);
    expect(await counter.hit('block', policy)).toEqual(expect.objectContaining({ hits: 1, blocked: false }));
  });

  it('peeks at a count without counting', async () => {
    expect(await counter.peek('peek')).toEqual({ hits: 0, resetMs: 0 });
    await hitTimes('peek', 2);
    const first = await counter.peek('peek');
    expect(first.hits).toBe(2);
    expect(first.resetMs).toBeGreaterThan(0);
    expect((await counter.peek('peek')).hits).toBe(2);
  });

  it('serves as a failed-login counter: blocked after N failures, forgotten on success', async () => {
    const failures = { windowMs: 5_000, limit: 5 };
    for (let i = 0; i < failures.limit; i++) await counter.hit('login:someone@example.com', failures);
    expect((await counter.peek('login:someone@example.com')).hits).toBe(failures.limit);
    await counter.reset('login:someone@example.com');
    expect(await counter.peek('login:someone@example.com')).toEqual({ hits: 0, resetMs: 0 });
    expect((await counter.hit('login:someone@example.com', failures)).hits).toBe(1);
  });

  it('counts keys independently', async () => {
    await hitTimes('independent-a', 4);
    expect((await hitTimes('independent-b', 1))[0]).toEqual(expect.objectContaining({ hits: 1, blocked: false }));
  });

  describe("as the RateLimiter's store", () => {
    let limiter: RateLimiter;
    beforeEach(() => (limiter = new RateLimiter(counter, loadConfig({ RATE_LIMIT_ANONYMOUS: '10/60s', RATE_LIMIT_AUTHENTICATED: '1/60s' }))));

    it('lets exactly N of N+1 concurrent requests through and reports seconds to reset', async () => {
      const states = await Promise.all(Array.from({ length: 11 }, () => limiter.consume('anonymous', 'tracker')));
      expect(states.filter((state) => !state!.blocked)).toHaveLength(10);
      for (const state of states) {
        expect(Math.ceil(state!.resetMs / 1000)).toBe(60);
        if (state!.blocked) expect(tooManyRequests(state!).headers['Retry-After']).toBe('60');
      }
    });

    it('keeps the counts of policies apart, except where they share a counter', async () => {
      await limiter.consume('authenticated', 'same-key');
      expect(await limiter.consume('anonymous', 'same-key')).toEqual(expect.objectContaining({ remaining: 9, blocked: false }));
      // A refused credential spends the anonymous quota (docs/decisions/0007).
      expect(await limiter.consume('refusedCredentials', 'same-key')).toEqual(expect.objectContaining({ remaining: 8, blocked: false }));
    });
  });
}
