import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * Passwords follow NIST SP 800-63B-4 §3.1.1.2. Length is the main rule: at least 15 characters for
 * a password that is the only factor, counted in Unicode code points. The upper bound caps the
 * hashing work a request can ask for. No composition rules (no "a digit and a symbol"): they make
 * passwords harder to remember, not to guess.
 */
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * What the comparison sees: case, spaces and the usual separators do not make a known password new
 * ("Password password" is "passwordpassword").
 */
const canonical = (password: string): string => password.toLowerCase().replace(/[\s._-]+/gu, '');

/**
 * The blocklist NIST asks for: about 49,000 passwords most common in breach corpora, shipped in the
 * maintained @zxcvbn-ts/language-common package, so the check works offline and sends nothing anywhere.
 */
const BLOCKLIST = new Set(dictionary['passwords-common'].map(canonical));

/** One unit said again and again: "aaaaaaaaaaaaaaa", "abc1abc1abc1abc1", 15 spaces. */
const REPEATED = /^(.+?)\1+$/su;

/** Why a new password is refused (to finish "password …"), or null when it is acceptable. Never quotes it. */
export function passwordProblem(password: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) return `must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`;
  const core = canonical(password);
  if (core === '' || REPEATED.test(core)) return 'must not be one character or one sequence repeated';
  if (BLOCKLIST.has(core)) return 'is a common or breached password: choose another';
  return null;
}
