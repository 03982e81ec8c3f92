import { createHash } from 'node:crypto';
import { API_KEY_PATTERN, apiKeyFromRandomBytes, generateApiKey, hashApiKey, parseApiKey } from './api-key-format';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 49; // 43 random + 6 checksum characters
const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

describe('API key format', () => {
  describe('known vectors (computed once, cross-checked with an independent Python implementation)', () => {
    it('bytes 0x00..0x1f as a test user key', () => {
      const bytes = Uint8Array.from({ length: 32 }, (_, i) => i);
      expect(apiKeyFromRandomBytes('user', 'test', bytes)).toEqual({
        // secretlint-disable-next-line -- a published test vector of our own format, not a Stripe key
        key: 'sk_test_003aUlTJC7tjlCTQj2uNU3MFagCXG9LRKRcwGkBIDlf1Yo7hP',
        prefix: 'sk_test_003a',
        last4: 'o7hP',
        hash: '39b341f7ca16c7c3a6390d70c0e168797e567c81ca709fa81227ea0808649eee',
      });
    });

    it('all-zero bytes are left-padded to the full width', () => {
      expect(apiKeyFromRandomBytes('user', 'live', new Uint8Array(32)).key).toBe('sk_live_' + '0'.repeat(43) + '2CZclj');
    });

    it('all-0xff bytes (the largest value) still fit in 43 characters', () => {
      expect(apiKeyFromRandomBytes('service', 'test', new Uint8Array(32).fill(0xff)).key).toBe('svc_test_yhjskwdA6OZ1AL1YmHWZWm8LLG7HjnuCA2j5rOw8Xp13sRzl1');
    });

    it('refuses anything but 32 random bytes', () => {
      expect(() => apiKeyFromRandomBytes('user', 'test', new Uint8Array(31))).toThrow(RangeError);
      expect(() => apiKeyFromRandomBytes('user', 'test', new Uint8Array(33))).toThrow(RangeError);
    });
  });

  describe('generateApiKey', () => {
    it.each([
      ['user', 'live', 'sk_live_'],
      ['user', 'test', 'sk_test_'],
      ['service', 'live', 'svc_live_'],
      ['service', 'test', 'svc_test_'],
    ] as const)('a %s key for %s starts with %s, has a fixed length and round-trips', (kind, environment, prefix) => {
      const generated = generateApiKey(kind, environment);
      expect(generated.key.startsWith(prefix)).toBe(true);
      expect(generated.key).toHaveLength(prefix.length + BODY_LENGTH);
      expect(generated.prefix).toBe(generated.key.slice(0, prefix.length + 4));
      expect(generated.last4).toBe(generated.key.slice(-4));
      expect(parseApiKey(generated.key)).toEqual({ kind, environment, hash: generated.hash });
    });

    it('hashes the whole key with SHA-256 (hex), the same way hashApiKey does', () => {
      const { key, hash } = generateApiKey('user', 'live');
      expect(hash).toBe(sha256Hex(key));
      expect(hashApiKey(key)).toBe(hash);
    });

    it('1000 keys are unique, and every one matches the published pattern and parses', () => {
      const keys = Array.from({ length: 1000 }, (_, i) => generateApiKey(i % 2 ? 'user' : 'service', 'test').key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const key of keys) {
        expect(key).toMatch(API_KEY_PATTERN);
        expect(parseApiKey(key)).toBeDefined();
      }
    });
  });

  describe('the published pattern', () => {
    it('finds a key inside surrounding text', () => {
      const { key } = generateApiKey('user', 'live');
      expect(`config: API_KEY="${key}"\n`.match(API_KEY_PATTERN)?.[0]).toBe(key);
    });
  });

  it('a body moved under another prefix parses as that kind, but its hash never matches the original key', () => {
    // The checksum covers only the random part (as scanners see it), so the lookup by hash is what tells them apart.
    const { key, hash } = generateApiKey('user', 'live');
    const moved = parseApiKey('svc_live_' + key.slice(-BODY_LENGTH));
    expect(moved?.kind).toBe('service');
    expect(moved?.hash).not.toBe(hash);
  });

  describe('parseApiKey refuses', () => {
    const { key } = generateApiKey('user', 'live');
    const bodyStart = key.length - BODY_LENGTH;

    it('every single-character change in the random part or the checksum', () => {
      let changes = 0;
      for (let position = bodyStart; position < key.length; position++) {
        for (const replacement of BASE62) {
          if (replacement === key[position]) continue;
          const typo = key.slice(0, position) + replacement + key.slice(position + 1);
          expect(parseApiKey(typo)).toBeUndefined();
          changes++;
        }
      }
      expect(changes).toBe(BODY_LENGTH * 61);
    });

    it.each(['pk_live_', 'sk_prod_', 'sk_', 'SK_LIVE_', 'sk-live-', 'sklive_', 'svc__live_', 'xsk_live_', 'sk_live'])('the unknown prefix %s', (prefix) => {
      expect(parseApiKey(prefix + key.slice(bodyStart))).toBeUndefined();
    });

    it.each([
      ['empty', ''],
      ['one character short', key.slice(0, -1)],
      ['one character long', key + 'a'],
      ['leading whitespace', ` ${key}`],
      ['trailing newline', `${key}\n`],
      ['a NUL byte', key.slice(0, -1) + '\0'],
      ['a non-ASCII letter', key.slice(0, -1) + 'é'],
      ['a full-width digit', key.slice(0, -1) + '１'],
      ['two keys in a row', key + key],
    ])('%s', (_label, candidate) => {
      expect(parseApiKey(candidate)).toBeUndefined();
    });

    it('a huge input, at once', () => {
      const huge = key + 'A'.repeat(50_000_000);
      const started = performance.now();
      expect(parseApiKey(huge)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(20); // generous; the length check is O(1)
    });
  });
});
