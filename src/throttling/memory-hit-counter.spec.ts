import { MemoryHitCounter, MemoryHitCounterOptions } from './memory-hit-counter';

describe('MemoryHitCounter', () => {
  const policy = { windowMs: 1_000, limit: 2 };
  let now: number;
  let counter: MemoryHitCounter;

  const create = (options: MemoryHitCounterOptions = {}) => {
    counter?.onModuleDestroy();
    counter = new MemoryHitCounter({ now: () => now, ...options });
  };

  beforeEach(() => {
    now = 0;
    create();
  });
  afterEach(() => counter.onModuleDestroy());

  it('counts hits within one window and reports the time left', async () => {
    expect(await counter.hit('a', policy)).toEqual({ hits: 1, resetMs: 1_000, blocked: false });
    now = 400;
    expect(await counter.hit('a', policy)).toEqual({ hits: 2, resetMs: 600, blocked: false });
    expect(await counter.hit('a', policy)).toEqual({ hits: 3, resetMs: 600, blocked: true });
  });

  it('expires a window at its end, exactly', async () => {
    await counter.hit('a', policy);
    now = 999;
    expect((await counter.peek('a')).hits).toBe(1);
    now = 1_000;
    expect(await counter.peek('a')).toEqual({ hits: 0, resetMs: 0 });
    expect(await counter.hit('a', policy)).toEqual({ hits: 1, resetMs: 1_000, blocked: false });
  });

  it('drops an expired counter when it is next read', async () => {
    await counter.hit('a', policy);
    now = 1_000;
    await counter.peek('a');
    expect(counter.size).toBe(0);
  });

  it('keeps memory bounded: a sweep drops every expired counter and keeps live ones', async () => {
    create({ maxEntries: 200_000 });
    for (let i = 0; i < 100_000; i++) await counter.hit(`old-${i}`, policy);
    now = 500;
    await counter.hit('live', policy);
    expect(counter.size).toBe(100_001);
    now = 1_000;
    counter.sweep();
    expect(counter.size).toBe(1);
    expect((await counter.peek('live')).hits).toBe(1);
  });

  it('never holds more than maxEntries counters, dropping the oldest first', async () => {
    create({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await counter.hit(key, policy);
    expect(counter.size).toBe(3);
    expect((await counter.peek('a')).hits).toBe(0);
    expect((await counter.peek('d')).hits).toBe(1);
  });

  it('sweeps on its own interval', async () => {
    jest.useFakeTimers();
    try {
      create({ sweepIntervalMs: 10_000 });
      await counter.hit('a', policy);
      now = 1_000;
      jest.advanceTimersByTime(10_000);
      expect(counter.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
