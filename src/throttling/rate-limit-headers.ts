/**
 * Where a client stands against one named limit, as the IETF RateLimit fields report it
 * (draft-ietf-httpapi-ratelimit-headers); written to a response by appendRateLimitHeaders.
 */
export interface RateLimitState {
  /** The policy's name, e.g. `anonymous`. */
  policy: string;
  quota: number;
  windowSeconds: number;
  remaining: number;
  /** Seconds until the window ends and the quota is whole again. */
  resetSeconds: number;
}
