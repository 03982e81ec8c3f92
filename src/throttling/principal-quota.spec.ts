import { Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { loadConfig } from '../config/app-config';
import type { Principal } from '../security/principal';
import { HitCounter, HitPolicy, ScriptedHit } from './hit-counter';
import { MemoryHitCounter } from './memory-hit-counter';
import { PrincipalQuota } from './principal-quota';
import { RateLimiter } from './rate-limiter';

const config = loadConfig({ RATE_LIMIT_AUTHENTICATED: '2/60s', RATE_LIMIT_ANONYMOUS: '5/60s' });
const alice: Principal = { kind: 'user', id: 'u1', scopes: new Set() };
const newRequest = () => ({ ip: '192.0.2.1' }) as FastifyRequest;

/** The memory counter, with the scripted form a counter on Redis has: what another store's script would count. */
class ScriptedMemoryCounter extends MemoryHitCounter implements HitCounter {
  scripted(key: string, { windowMs, limit, blockMs = 0 }: HitPolicy): ScriptedHit {
    return { key, windowMs, limit, blockMs };
  }
}

describe('PrincipalQuota', () => {
  let counter: ScriptedMemoryCounter;
  let quota: PrincipalQuota;
  let hits: jest.SpyInstance;

  beforeEach(() => {
    counter = new ScriptedMemoryCounter();
    quota = new PrincipalQuota(new RateLimiter(counter, config));
    hits = jest.spyOn(counter, 'hit');
  });
  afterEach(() => {
    counter.onModuleDestroy();
    jest.restoreAllMocks();
  });

  it('charges a request that owes nothing nothing (no credential, or a route without limits)', async () => {
    const request = newRequest();
    expect(quota.alongside(request, alice)).toBeUndefined();
    expect(await quota.settle(request)).toBeUndefined();
    expect(hits).not.toHaveBeenCalled();
  });

  it('charges what is owed once, when nothing counted it alongside the credential check', async () => {
    const request = Object.assign(newRequest(), { principal: alice });
    quota.owe(request);
    expect(await quota.settle(request)).toEqual(expect.objectContaining({ remaining: 1, policy: expect.objectContaining({ name: 'authenticated' }) }));
    expect(hits).toHaveBeenCalledTimes(1);
    expect(hits).toHaveBeenCalledWith('authenticated:user:u1', { limit: 2, windowMs: 60_000 });
  });

  it('takes the count made alongside the credential check, and counts nothing more', async () => {
    const request = newRequest();
    quota.owe(request);
    const charge = quota.alongside(request, alice)!;
    expect(charge.hit).toEqual({ key: 'authenticated:user:u1', windowMs: 60_000, limit: 2, blockMs: 0 });
    charge.counted({ hits: 3, resetMs: 5_000 });
    request.principal = alice;
    expect(await quota.settle(request)).toEqual(expect.objectContaining({ remaining: 0, resetMs: 5_000, blocked: true }));
    expect(quota.alongside(request, alice)).toBeUndefined();
    expect(hits).not.toHaveBeenCalled();
  });

  it('fails open when Redis could not count it alongside, logging the outage once', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    for (let i = 0; i < 2; i++) {
      const request = newRequest();
      quota.owe(request);
      quota.alongside(request, alice)!.counted('unavailable');
      expect(await quota.settle(request)).toBeUndefined();
    }
    expect(errors).toHaveBeenCalledTimes(1);
    expect(hits).not.toHaveBeenCalled();
  });

  it('charges a credential that a public route let through to the client IP', async () => {
    const request = newRequest();
    quota.owe(request);
    expect(await quota.settle(request)).toEqual(expect.objectContaining({ remaining: 4, policy: expect.objectContaining({ name: 'anonymous' }) }));
    expect(hits).toHaveBeenCalledWith('anonymous:ip:192.0.2.1', { limit: 5, windowMs: 60_000 });
  });

  it('hands no hit to the credential check when the counters are in memory: the guard counts it', async () => {
    const memory = new MemoryHitCounter();
    try {
      const inMemory = new PrincipalQuota(new RateLimiter(memory, config));
      const request = newRequest();
      inMemory.owe(request);
      expect(inMemory.alongside(request, alice)).toBeUndefined();
    } finally {
      memory.onModuleDestroy();
    }
  });
});
