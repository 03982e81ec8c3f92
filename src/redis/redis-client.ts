import { Redis } from 'ioredis';

/** Reconnect delays grow by 100 ms per attempt and stop growing here. */
const MAX_RECONNECT_DELAY_MS = 1_000;

/**
 * A Redis client for request paths that must fail fast: while Redis is unreachable every command
 * rejects at once (callers then fail open or closed on purpose), and the client keeps reconnecting
 * in the background so the service recovers without a restart when Redis comes back.
 * Attach an 'error' listener (to log): ioredis emits one per failed connection attempt.
 */
export function createRedisClient(url: string): Redis {
  return new Redis(url, {
    // A command caught by a dropped connection is retried once after reconnecting, then fails (default: 20 tries).
    maxRetriesPerRequest: 1,
    // While disconnected, commands reject immediately instead of queuing until Redis returns.
    enableOfflineQueue: false,
    // An unreachable Redis is detected in 2 s instead of the default 10 s.
    connectTimeout: 2_000,
    // A Redis that accepts the connection but stops answering fails the command within 1 s,
    // instead of hanging the request.
    commandTimeout: 1_000,
    // Never give up: returning a delay (never null) keeps reconnecting, capped so recovery is noticed within a second.
    retryStrategy: (attempt) => Math.min(attempt * 100, MAX_RECONNECT_DELAY_MS),
    // Connect at boot, so a wrong URL shows up in the startup logs rather than on the first request.
    lazyConnect: false,
  });
}

/** Closes gracefully (QUIT lets pending replies arrive); when Redis cannot answer, drops the socket instead. */
export async function closeRedisClient(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
