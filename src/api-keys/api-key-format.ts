import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { sha256Hex } from '../common/sha256';

/**
 * The API-key format, pure and dependency-free.
 *
 *   key = <prefix> <random part> <checksum>
 *
 * - prefix: `sk_live_` / `sk_test_` for a user's key, `svc_live_` / `svc_test_` for a service
 *   client's key (`live` in production, `test` everywhere else; the caller decides which).
 * - random part: 32 random bytes read as one big-endian number and written in base62 (alphabet
 *   `0-9A-Za-z`, so '0' is the digit zero) as exactly 43 characters, left-padded with '0'
 *   (62^43 > 2^256, so 43 always suffices and every key has the same length).
 * - checksum: zlib CRC32 of the random part's 43 ASCII characters (the same text a secret scanner
 *   sees), written in base62 as exactly 6 characters, left-padded with '0' (62^6 > 2^32).
 *
 * A key is therefore the prefix plus 49 base62 characters: 57 characters for `sk_`, 58 for `svc_`.
 *
 * Why a checksum: a secret scanner (GitHub's, gitleaks, ...) can tell a real leaked key from a
 * look-alike offline, and a typo or a made-up key is refused here without a database lookup.
 * It is an error-detecting code, not a secret: it adds nothing to (and takes nothing from) the
 * 256 random bits.
 */

export type ApiKeyKind = 'user' | 'service';
export type ApiKeyEnvironment = 'live' | 'test';

/** The pattern to publish for secret scanners: it matches every key this module generates. */
export const API_KEY_PATTERN = /\b(sk|svc)_(live|test)_[0-9A-Za-z]{49}\b/;

export interface GeneratedApiKey {
  /** The plaintext key: shown to its owner once, stored nowhere. */
  key: string;
  /** For display: the key's prefix plus the first 4 characters of the random part, e.g. `sk_test_7Qx2`. */
  prefix: string;
  /** For display: the key's last 4 characters (part of the checksum). */
  last4: string;
  /** What is stored and looked up: see hashApiKey. */
  hash: string;
}

export interface ParsedApiKey {
  kind: ApiKeyKind;
  environment: ApiKeyEnvironment;
  hash: string;
}

const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_BYTES = 32;
const RANDOM_PART_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const DISPLAY_PREFIX_RANDOM_CHARS = 4;
const KIND_PREFIX: Record<ApiKeyKind, string> = { user: 'sk', service: 'svc' };
const MAX_KEY_LENGTH = 'svc_live_'.length + RANDOM_PART_LENGTH + CHECKSUM_LENGTH;
const EXACT_KEY = /^(sk|svc)_(live|test)_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;

export function generateApiKey(kind: ApiKeyKind, environment: ApiKeyEnvironment): GeneratedApiKey {
  return apiKeyFromRandomBytes(kind, environment, randomBytes(RANDOM_BYTES));
}

/** The deterministic half of generateApiKey, exported so tests can pin a known vector. */
export function apiKeyFromRandomBytes(kind: ApiKeyKind, environment: ApiKeyEnvironment, random: Uint8Array): GeneratedApiKey {
  if (random.length !== RANDOM_BYTES) throw new RangeError(`an API key needs ${RANDOM_BYTES} random bytes`);
  const keyPrefix = `${KIND_PREFIX[kind]}_${environment}_`;
  const randomPart = toFixedWidthBase62(BigInt(`0x${Buffer.from(random).toString('hex')}`), RANDOM_PART_LENGTH);
  const key = keyPrefix + randomPart + checksumOf(randomPart);
  return {
    key,
    prefix: keyPrefix + randomPart.slice(0, DISPLAY_PREFIX_RANDOM_CHARS),
    last4: key.slice(-4),
    hash: hashApiKey(key),
  };
}

/**
 * Checks a candidate's length, shape, prefix and checksum, in that order, and returns what the
 * key claims to be plus the hash to look it up by; undefined for anything that cannot be a key.
 * The length is checked first, so an attacker's megabyte of input costs nothing.
 */
export function parseApiKey(candidate: string): ParsedApiKey | undefined {
  if (candidate.length > MAX_KEY_LENGTH) return undefined;
  const match = EXACT_KEY.exec(candidate);
  if (!match) return undefined;
  const [, kindPrefix, environment, randomPart, checksum] = match;
  if (checksum !== checksumOf(randomPart)) return undefined;
  return {
    kind: kindPrefix === KIND_PREFIX.service ? 'service' : 'user',
    environment: environment as ApiKeyEnvironment,
    hash: hashApiKey(candidate),
  };
}

/**
 * SHA-256 hex of the whole key. A fast hash is enough here, unlike for passwords: the key holds
 * 256 random bits, so there is nothing to brute-force, and a deterministic hash lets us find the
 * key by a unique index on the hash column. argon2 is for low-entropy secrets people choose.
 */
export function hashApiKey(key: string): string {
  return sha256Hex(key);
}

function checksumOf(randomPart: string): string {
  return toFixedWidthBase62(BigInt(crc32(randomPart)), CHECKSUM_LENGTH);
}

/** Callers guarantee value < 62^width, so no digit is lost. */
function toFixedWidthBase62(value: bigint, width: number): string {
  let digits = '';
  for (let i = 0; i < width; i++) {
    digits = BASE62_ALPHABET[Number(value % 62n)] + digits;
    value /= 62n;
  }
  return digits;
}
