import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { uniqueEmail } from '../support/auth';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';

/** Tries per address kind and route: enough for a median that one slow request cannot move. */
const TRIES = 25;

/**
 * docs/http-contract.md, Accounts: register, resend and reset answer alike for an address with an account and one
 * without, in status, body and headers (test/account) and in time, measured here on the built service over real
 * HTTP and Postgres. Known and unknown tries are interleaved, so a drift of the machine's load falls on both, and
 * their medians compared. The bound is what an attacker could not tell apart from noise across a network: within
 * 20 % of the unknown median, or 3 ms. Doing the real work only for known addresses (an argon2 hash at sign-up,
 * a token and a mail at reset) costs tens of milliseconds, far outside it.
 */
describe('No account enumeration by timing (two medians, interleaved tries)', () => {
  let deployment: ServiceDeployment;
  let service: ServiceInstance;
  let known: string[];

  beforeAll(async () => {
    deployment = await ServiceDeployment.create();
    // The limits are not under test here (test/account): every try must be served.
    service = await deployment.start({
      env: { RATE_LIMIT_ANONYMOUS: '100000/60s', RATE_LIMIT_ACCOUNT_IP: '100000/900s', RATE_LIMIT_ACCOUNT_EMAIL: '100000/3600s' },
    });
    known = Array.from({ length: TRIES }, () => uniqueEmail('known'));
    // Unverified accounts: the state in which resend would mail them, and reset too.
    await deployment.db.query(
      `INSERT INTO users (email, name, role, password_hash) SELECT e, 'Known', 'customer', 'not-a-real-hash' FROM unnest($1::text[]) AS e`,
      [known],
    );
  });
  afterAll(() => deployment?.close());

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

  async function timed(path: string, body: object): Promise<number> {
    const start = performance.now();
    const reply = await service.http.send({ method: 'POST', path: `/api/v1${path}`, body });
    const elapsed = performance.now() - start;
    expect(reply.status).toBe(202);
    return elapsed;
  }

  it.each([
    ['register', '/auth/register', (email: string) => ({ email, password: `pw-${randomUUID()}`, name: 'Timing' })],
    ['resend', '/auth/email-verification/resend', (email: string) => ({ email })],
    ['reset', '/auth/password-reset', (email: string) => ({ email })],
  ])('%s takes as long for an address with an account as for one without', async (_name, path, body) => {
    // Warm-up: the first requests of a route pay for compiling its code paths.
    for (let i = 0; i < 3; i++) await timed(path, body(uniqueEmail('warm')));
    const forKnown: number[] = [];
    const forUnknown: number[] = [];
    for (let i = 0; i < TRIES; i++) {
      forKnown.push(await timed(path, body(known[i])));
      forUnknown.push(await timed(path, body(uniqueEmail('unknown'))));
    }
    const [knownMedian, unknownMedian] = [median(forKnown), median(forUnknown)];
    expect(Math.abs(knownMedian - unknownMedian)).toBeLessThanOrEqual(Math.max(3, 0.2 * unknownMedian));
  });
});
