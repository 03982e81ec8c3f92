/**
 * Rules for the text that names an account: one email address is one account whatever Unicode form
 * or case it arrives in, and neither addresses nor names may hide characters that change how they
 * look (Unicode Technical Standard #39, "Unicode Security Mechanisms"; OWASP ASVS V5.1).
 */

/**
 * NFKC folds compatibility forms into one ("ａlice", full-width, is "alice"), then case is folded:
 * uniqueness, limits and logins all see this form.
 */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

/** Controls, format characters (zero-width, bidi overrides and isolates), line and paragraph separators. */
const HIDDEN_IN_EMAIL = /[\p{C}\p{Zl}\p{Zp}]/u;

/**
 * The same in a display name, except the zero-width joiner and non-joiner: emoji sequences and
 * scripts such as Persian and Devanagari need them, and a name identifies nobody (the email does).
 */
const HIDDEN_IN_NAME = /[\p{Cc}\p{Cs}\p{Co}\p{Zl}\p{Zp}]|(?![\u200C\u200D])\p{Cf}/u;

/** Scripts told apart; a letter of any other script counts as "other". */
const SCRIPTS = ['Latin', 'Greek', 'Cyrillic', 'Armenian', 'Georgian', 'Hebrew', 'Arabic', 'Devanagari', 'Thai', 'Hangul', 'Han', 'Hiragana', 'Katakana'].map(
  (name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const,
);
/** Scripts one language writes together, which UTS #39 lets a single label mix (Japanese, Korean). */
const WRITTEN_TOGETHER = [new Set(['Han', 'Hiragana', 'Katakana']), new Set(['Han', 'Hangul'])];

function scriptsOf(label: string): Set<string> {
  const letters = label.match(/\p{L}/gu) ?? [];
  return new Set(letters.map((letter) => SCRIPTS.find(([, pattern]) => pattern.test(letter))?.[0] ?? 'other'));
}

/** A domain label in Latin with one Cyrillic "а" is how a look-alike of a real domain is made. */
function isMixedScript(label: string): boolean {
  const scripts = [...scriptsOf(label)];
  return scripts.length > 1 && !WRITTEN_TOGETHER.some((together) => scripts.every((script) => together.has(script)));
}

/** Why a (normalized) email address is refused (to finish "email …"), or null. */
export function emailProblem(email: string): string | null {
  if (HIDDEN_IN_EMAIL.test(email)) return 'must not contain invisible or control characters';
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (domain.split('.').some(isMixedScript)) return 'must not have a domain that mixes scripts';
  return null;
}

/** Why a display name is refused (to finish "name …"), or null. */
export function nameProblem(name: string): string | null {
  return HIDDEN_IN_NAME.test(name) ? 'must not contain invisible, bidirectional or control characters' : null;
}
