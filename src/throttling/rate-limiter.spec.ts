import { Logger } from '@nestjs/common';
import { ProblemException } from '../common/http/problem.exception';
import { loadConfig } from '../config/app-config';
import { HitCounter, HitCounterUnavailableError } from './hit-counter';
import { MemoryHitCounter } from './memory-hit-counter';
import { tooManyRequests } from './rate-limit-fields';
import { RateLimiter } from './rate-limiter';

const config = loadConfig({ RATE_LIMIT_ANONYMOUS: '2/60s', RATE_LIMIT_LOGIN_EMAIL: '2/900s', RATE_LIMIT_TOKEN: '1/60s' });

/** A store that cannot answer, as Redis when it is down. */
const downCounter: HitCounter = {
  hit: () => Promise.reject(new HitCounterUnavailableError(new Error('down'))),
  peek: () => Promise.reject(new HitCounterUnavailableError(new Error('down'))),
  reset: () => Promise.reject(new HitCounterUnavailableError(new Error('down'))),
};

describe('RateLimiter', () => {
  let counter: MemoryHitCounter;
  let limiter: RateLimiter;

  beforeEach(() => {
    counter = new MemoryHitCounter();
    limiter = new RateLimiter(counter, config);
  });
  afterEach(() => {
    counter.onModuleDestroy();
    jest.restoreAllMocks();
  });

  it('counts down the quota and blocks past it', async () => {
    const states = [];
    for (let i = 0; i < 3; i++) states.push(await limiter.consume('anonymous', 'ip:192.0.2.1'));
    expect(states.map((state) => [state!.remaining, state!.blocked])).toEqual([
      [1, false],
      [0, false],
      [0, true],
    ]);
    expect(states[0]!.policy).toEqual(expect.objectContaining({ name: 'anonymous', quota: 2, windowSeconds: 60 }));
  });

  it('peeks without counting, and a refund gives the whole quota back', async () => {
    await limiter.consume('loginPerEmail', 'someone');
    expect(await limiter.peek('loginPerEmail', 'someone')).toEqual(expect.objectContaining({ remaining: 1 }));
    expect(await limiter.peek('loginPerEmail', 'someone')).toEqual(expect.objectContaining({ remaining: 1 }));
    expect(await limiter.refund('loginPerEmail', 'someone')).toEqual(expect.objectContaining({ remaining: 2, resetMs: 0 }));
    expect(await limiter.consume('loginPerEmail', 'someone')).toEqual(expect.objectContaining({ remaining: 1, blocked: false }));
  });

  it("refuses with a 429 whose Retry-After is in whole seconds, at least 1, and whose detail is the policy's", async () => {
    await limiter.consume('token', 'client:203.0.113.7');
    const blocked = await limiter.consume('token', 'client:203.0.113.7');
    const refusal = tooManyRequests(blocked);
    expect(refusal.getStatus()).toBe(429);
    expect(refusal.headers).toEqual({ 'Retry-After': '60' });
    expect(refusal.message).toBe('Too many token requests; retry after 60 s');
    expect(tooManyRequests({ policy: blocked.policy, resetMs: 1 }).headers).toEqual({ 'Retry-After': '1' });
  });

  it('fails open on a general limit when the store is down, logging the outage once and its end once', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const logs = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    let down = true;
    const flaky: HitCounter = {
      hit: (key, policy) => (down ? downCounter.hit(key, policy) : counter.hit(key, policy)),
      peek: (key) => counter.peek(key),
      reset: (key) => counter.reset(key),
    };
    limiter = new RateLimiter(flaky, config);
    expect(await limiter.consume('anonymous', 'ip:192.0.2.1')).toBeUndefined();
    expect(await limiter.consume('refusedCredentials', 'ip:192.0.2.1')).toBeUndefined();
    expect(errors).toHaveBeenCalledTimes(1);
    down = false;
    expect(await limiter.consume('anonymous', 'ip:192.0.2.1')).toBeDefined();
    expect(await limiter.consume('anonymous', 'ip:192.0.2.1')).toBeDefined();
    expect(logs).toHaveBeenCalledTimes(1);
  });

  it('fails closed (503) on a credential limit when the store is down', async () => {
    limiter = new RateLimiter(downCounter, config);
    for (const call of [() => limiter.consume('loginPerAddress', 'x'), () => limiter.peek('loginPerEmail', 'x'), () => limiter.refund('loginPerEmail', 'x')]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProblemException);
      expect((error as ProblemException).getStatus()).toBe(503);
    }
  });
});
