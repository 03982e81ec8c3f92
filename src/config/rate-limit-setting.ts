/** A rate-limit setting as written in the environment: `<quota>/<window>s`, e.g. `60/60s`. */
export interface RateLimitSetting {
  quota: number;
  windowSeconds: number;
}

const RATE_LIMIT_PATTERN = /^(\d{1,7})\/(\d{1,6})s$/;

export function parseRateLimit(value: string): RateLimitSetting | undefined {
  const match = RATE_LIMIT_PATTERN.exec(value);
  if (!match) return undefined;
  const quota = Number(match[1]);
  const windowSeconds = Number(match[2]);
  return quota > 0 && windowSeconds > 0 ? { quota, windowSeconds } : undefined;
}
