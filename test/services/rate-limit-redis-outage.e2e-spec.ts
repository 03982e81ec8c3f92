import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, TestApp } from '../support/test-app';
import { ownRateLimitCounters } from '../throttling/own-counters';
import { OwnRedisServer } from '../throttling/own-redis-server';

const PRODUCTS = '/api/v1/products';
const LIMIT = 3;

describe('General rate limits when Redis goes away and comes back', () => {
  let redis: OwnRedisServer;
  let t: TestApp;
  const logLines: string[] = [];
  const logged = (text: string) => logLines.filter((line) => line.includes(text));

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
    t = await startTestApp({
      env: { RATE_LIMIT_ANONYMOUS: `${LIMIT}/60s`, LOG_LEVEL: 'info', ...ownRateLimitCounters() },
      secrets: { redisUrl: redis.url },
      logStream: { write: (line: string) => void logLines.push(line) },
    });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  const get = (remoteAddress: string) => t.app.inject({ url: PRODUCTS, remoteAddress });
  const expectLimited = async (remoteAddress: string) => {
    for (let i = 0; i < LIMIT; i++) expect((await get(remoteAddress)).statusCode).toBe(200);
    expect((await get(remoteAddress)).statusCode).toBe(429);
  };

  it('limits while Redis is up', async () => {
    await expectLimited('198.51.100.1');
  });

  it('serves general routes while Redis is down (fail open), logging the outage once', async () => {
    await redis.stop();
    for (let i = 0; i < LIMIT + 2; i++) {
      const response = await get('198.51.100.2');
      expect(response.statusCode).toBe(200);
      expect(response.headers).not.toHaveProperty('ratelimit');
    }
    const outage = logged('Rate limit store unavailable');
    expect(outage).toHaveLength(1);
    expect(JSON.parse(outage[0])).toMatchObject({ level: 50 }); // pino's "error"
  });

  it('limits again once Redis is back, without restarting the app', async () => {
    await redis.start();
    // The client reconnects on its own, within about a second (src/redis/redis-client.ts).
    let response = await get('198.51.100.3');
    for (let waited = 0; !response.headers['ratelimit'] && waited < 10_000; waited += 100) {
      await sleep(100);
      response = await get('198.51.100.3');
    }
    expect(response.headers['ratelimit']).toBeDefined();
    await expectLimited('198.51.100.4');
    expect(logged('general limits enforced again')).toHaveLength(1);
  });
});
