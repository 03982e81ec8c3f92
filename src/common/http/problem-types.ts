import type { ProblemType } from './problem';

/**
 * The problem types of this API other than `about:blank` (RFC 9457 §3.1.1, §4): relative URI references, resolved
 * against the request's URL, each with the one title its problems have. A client tells these problems apart by
 * `type`, not by parsing `detail`.
 */
export const PROBLEM_TYPES = {
  /** A 403: the route needs a verified e-mail address (requireVerifiedEmail). */
  emailNotVerified: { type: '/problems/email-not-verified', title: 'E-mail address not verified' },
} as const satisfies Record<string, ProblemType>;
