import { ExpiringMap } from './expiring-map';

describe('ExpiringMap', () => {
  let now = 1_000;
  const clock = () => now;

  it('reads an entry until it expires, then as absent', () => {
    const map = new ExpiringMap<string, string>(clock);
    map.set('k', 'v', now + 10);
    now += 9;
    expect(map.get('k')).toBe('v');
    now += 1;
    expect(map.get('k')).toBeUndefined();
    expect(map.size).toBe(0);
  });

  it('sweeps out the expired entries nobody reads again', () => {
    const map = new ExpiringMap<string, string>(clock);
    map.set('old', 'v', now + 1);
    map.set('fresh', 'v', now + 100);
    now += 50;
    map.sweep();
    expect(map.size).toBe(1);
    expect(map.get('fresh')).toBe('v');
  });

  it('holds at most maxEntries when given, dropping the oldest', () => {
    const map = new ExpiringMap<string, number>(clock, 1);
    map.set('a', 1, now + 100);
    map.set('b', 2, now + 100);
    expect([map.get('a'), map.get('b')]).toEqual([undefined, 2]);
  });
});
