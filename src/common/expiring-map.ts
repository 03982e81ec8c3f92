import { BoundedMap } from './bounded-map';

export interface Entry<V> {
  value: V;
  /** When the entry stops counting (ms since the epoch). */
  expiresAt: number;
}

/**
 * A map whose entries expire, for stores kept in memory in the embedded single-instance mode. An
 * expired entry reads as absent and is dropped when seen; `sweep` drops the ones nobody reads again.
 * Bounded if asked (see BoundedMap): past `maxEntries`, the entry set longest ago goes first.
 */
export class ExpiringMap<K, V> {
  private readonly entries: BoundedMap<K, Entry<V>>;

  /** `now` (ms since the epoch) is injectable so tests control time. */
  constructor(
    private readonly now: () => number,
    maxEntries = Infinity,
  ) {
    this.entries = new BoundedMap(maxEntries);
  }

  /** How many entries are held, expired ones included until they are seen or swept. */
  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entry(key)?.value;
  }

  /** The live entry with its expiry, or undefined. */
  entry(key: K): Entry<V> | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: K, value: V, expiresAt: number): void {
    this.entries.set(key, { value, expiresAt });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Drops every expired entry (run periodically: keys nobody reads again would otherwise stay). */
  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
