/**
 * A Map that holds at most `maxEntries` keys: setting one moves it to the end, and past the bound the
 * first key, the one set longest ago, is dropped. A Map iterates in insertion order, so finding that
 * key is O(1) on the request path. For per-client memory that an attacker could otherwise grow
 * without end by sending new keys (OWASP API4).
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    // Deleted first so the key moves to the end: the first entry is always the oldest.
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Every entry, oldest first (for a sweep, which may delete as it goes). */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries[Symbol.iterator]();
  }
}
