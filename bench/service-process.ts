import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
// The one piece of the test support the bench shares: a Secrets Manager endpoint the real AWS SDK talks to.
import { FakeSecretsManager } from '../test/support/fake-secrets-manager';
import { rsaPem } from '../test/support/secret-documents';
import { freePort } from '../test/support/server-process';
import { MonitoredProcess } from './monitored-process';

export interface ServiceOptions {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  /** Extra flags for node, e.g. --cpu-prof. */
  nodeFlags: string[];
  /** Count Postgres queries and Redis commands in the service (on unless BENCH_COUNT_CALLS=0). */
  countCalls: boolean;
  /** The built service to run: `dist` by default; another build to compare two versions. */
  distDir: string;
  /** More environment for the service (BENCH_ENV_<NAME>=value sets <NAME>), e.g. UV_THREADPOOL_SIZE. */
  extraEnv: Record<string, string>;
}

/** Every general, login and account limit raised: the whole load comes from one client IP (see README). */
const RAISED_LIMIT = '1000000/60s';

/**
 * The built service (`dist/main.js`) in production mode, as a child process on loopback, with its
 * secret in a local Secrets Manager endpoint (closed once the service has exited).
 */
export async function startService(options: ServiceOptions): Promise<MonitoredProcess> {
  const secrets = await FakeSecretsManager.start('orders-api/bench');
  secrets.setSecret(
    'AWSCURRENT',
    JSON.stringify({
      databaseUrl: options.databaseUrl,
      redisUrl: options.redisUrl,
      // Production refuses to boot without SMTP. Nothing listens here: the few mails the seeding queues (sign-up
      // verifications) fail to send and wait for their retry, and the bench reads no mail.
      smtpUrl: 'smtp://127.0.0.1:2525',
      jwtPrivateKey: rsaPem(),
      jwtKeyId: `bench-${randomBytes(4).toString('hex')}`,
    }),
  );
  const port = await freePort();
  // A fresh environment, not the bench's: production refuses DATABASE_URL and REDIS_URL there.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOST: '127.0.0.1',
    PORT: String(port),
    NODE_ENV: 'production',
    SECRETS_PROVIDER: 'aws',
    AWS_SECRET_ID: secrets.secretName,
    ...secrets.clientEnv,
    TRUSTED_PROXIES: '127.0.0.1/32',
    // Production needs its public https origin: the issuer of its tokens (docs/decisions/0020).
    PUBLIC_URL: 'https://orders.bench.test',
    LOG_LEVEL: 'info',
    REDIS_KEY_PREFIX: options.redisKeyPrefix,
    RATE_LIMIT_ANONYMOUS: RAISED_LIMIT,
    RATE_LIMIT_AUTHENTICATED: RAISED_LIMIT,
    RATE_LIMIT_LOGIN_IP: RAISED_LIMIT,
    RATE_LIMIT_LOGIN_EMAIL: RAISED_LIMIT,
    RATE_LIMIT_TOKEN: RAISED_LIMIT,
    RATE_LIMIT_ACCOUNT_IP: RAISED_LIMIT,
    RATE_LIMIT_ACCOUNT_EMAIL: RAISED_LIMIT,
    ...(options.countCalls && { BENCH_COUNT_CALLS: '1' }),
    ...options.extraEnv,
  };
  // A boot that fails stops the process, which closes the secrets endpoint too (afterExit).
  return MonitoredProcess.spawn({
    args: [...options.nodeFlags, join(options.distDir, 'main.js')],
    env,
    port,
    readyPath: '/health/ready',
    afterExit: () => secrets.close(),
  });
}
