/**
 * `npm run bench`: the service in production mode against Postgres and Redis, driven by autocannon
 * from this process (the service is a separate child process). See bench/README.md.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { createBenchDatabase } from './bench-database';
import { evaluateTargets, formatMachine, formatTable, formatTargets, machine, Results } from './report';
import { startBareApp } from './bare-process';
import type { MonitoredProcess } from './monitored-process';
import { summarizeRounds } from './rounds';
import { defineScenarios, RunSettings, runScenario, ScenarioResult } from './scenarios';
import { login, SeedData, seed } from './seed';
import { startService } from './service-process';
import { soak, SoakResult } from './soak';

const ROOT = join(__dirname, '..');
const ALL_SCENARIOS = [0, 1, 2, 3, 4, 5, 6, 7];
/** Access tokens live 15 minutes: the soak re-logs in first, and must end before they expire. */
const MAX_SOAK_SECONDS = 840;

function intSetting(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) fail(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(2);
}

function scenarioList(): number[] {
  const raw = process.env.BENCH_SCENARIOS;
  if (!raw) return ALL_SCENARIOS;
  const ids = raw.split(',').map((id) => Number(id.trim()));
  if (ids.some((id) => !ALL_SCENARIOS.includes(id))) fail('BENCH_SCENARIOS is a comma-separated list of scenario numbers 0..7');
  return ids;
}

async function main(): Promise<void> {
  const { DATABASE_URL, REDIS_URL } = process.env;
  if (!DATABASE_URL || !REDIS_URL) {
    fail(
      'DATABASE_URL (a Postgres server URL) and REDIS_URL must be set, e.g.\n  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 npm run bench',
    );
  }
  const distDir = resolve(ROOT, process.env.BENCH_DIST_DIR ?? 'dist');
  if (!existsSync(join(distDir, 'main.js'))) fail(`${join(distDir, 'main.js')} is missing: build first (npm run bench builds dist/)`);
  const settings: RunSettings = {
    connections: intSetting('BENCH_CONNECTIONS', 20, 1, 1000),
    seconds: intSetting('BENCH_SECONDS', 10, 1, 3600),
    warmupSeconds: intSetting('BENCH_WARMUP_SECONDS', 3, 0, 600),
    // On by default: the calls per request are part of the targets; the counting itself is one
    // increment per call. BENCH_COUNT_CALLS=0 runs the service unpatched.
    countCalls: process.env.BENCH_COUNT_CALLS !== '0',
  };
  const rounds = intSetting('BENCH_ROUNDS', 3, 1, 20);
  const soakSeconds = intSetting('BENCH_SOAK_SECONDS', 0, 0, MAX_SOAK_SECONDS);
  if (soakSeconds > 0 && soakSeconds <= 30) fail('BENCH_SOAK_SECONDS must be 0 (no soak) or more than 30');
  const scenarioIds = scenarioList();
  const cpuProfDir = process.env.BENCH_CPU_PROF_DIR;
  const startMachine = machine();
  const notes: string[] = [];

  const redisKeyPrefix = `bench_${randomBytes(6).toString('hex')}:`;
  const database = await createBenchDatabase(DATABASE_URL);
  let service: MonitoredProcess | undefined;
  let bare: MonitoredProcess | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanUp = () =>
    (cleaning ??= (async () => {
      await service?.stop().catch((error: unknown) => console.error(`bench: could not stop the service: ${String(error)}`));
      await bare?.stop().catch((error: unknown) => console.error(`bench: could not stop the bare app: ${String(error)}`));
      await database.drop().catch((error: unknown) => console.error(`bench: could not drop ${database.name}: ${String(error)}`));
      await deleteRedisKeys(REDIS_URL, redisKeyPrefix).catch((error: unknown) => console.error(`bench: could not delete Redis keys: ${String(error)}`));
    })());
  process.once('SIGINT', () => void cleanUp().finally(() => process.exit(130)));

  const measured: ScenarioResult[] = [];
  let soakResult: SoakResult | undefined;
  try {
    log(`database ${database.name}, Redis prefix ${redisKeyPrefix}`);
    service = await startService({
      databaseUrl: database.url,
      redisUrl: REDIS_URL,
      redisKeyPrefix,
      nodeFlags: [...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []), ...(process.env.BENCH_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean)],
      countCalls: settings.countCalls,
      distDir,
      extraEnv: Object.fromEntries(
        Object.entries(process.env)
          .filter(([name, value]) => name.startsWith('BENCH_ENV_') && value !== undefined)
          .map(([name, value]) => [name.slice('BENCH_ENV_'.length), value!]),
      ),
    });
    log(`service pid ${service.pid} on ${service.url} (production mode)`);
    bare = await startBareApp([]);
    log(`bare NestJS + Fastify app pid ${bare.pid} on ${bare.url}`);
    const data = await seed(service.url, database, { customers: Math.max(settings.connections, 10), products: 2 * Math.max(settings.connections, 10) });
    log(
      `seeded ${data.customers.length} customers, ${data.productIds.length} products, ${data.customers.length} orders, ${data.apiKeysUnavailable ? 'no API keys' : `${data.customers.length} API keys`}`,
    );
    if (data.apiKeysUnavailable) notes.push(`Scenario 4 skipped: ${data.apiKeysUnavailable}.`);

    // Round-robin: every scenario once per round, so a noisy moment hits one round of each alike and
    // the medians over the rounds stay comparable.
    for (let round = 1; round <= rounds; round++) {
      // Access tokens live 15 minutes: every round after the first logs in afresh.
      if (round > 1) await refreshTokens(service.url, data);
      for (const scenario of defineScenarios(data).filter((s) => scenarioIds.includes(s.id))) {
        log(
          `round ${round}/${rounds}, scenario ${scenario.id}: ${scenario.name} (${settings.warmupSeconds} s warm-up, ${settings.seconds} s at ${settings.connections} connections${scenario.parallel ? ' each' : ''})`,
        );
        measured.push(await runScenario(scenario.target === 'bare' ? bare : service, scenario, settings, round));
      }
    }
    if (soakSeconds > 0) {
      log(`soak: scenario 3's load for ${soakSeconds} s`);
      await refreshTokens(service.url, data);
      const tokenReads = defineScenarios(data).find((s) => s.id === 3)!.load;
      soakResult = await soak(service, tokenReads, settings.connections, soakSeconds);
    }
  } finally {
    await cleanUp();
  }

  const scenarios = summarizeRounds(measured);
  if (cpuProfDir)
    notes.push(
      `CPU profile of the service written to ${cpuProfDir}; summarize one scenario's windows with: node bench/cpuprofile-summary.js ${cpuProfDir}/<file>.cpuprofile --scenario <n>`,
    );
  const results: Results = {
    timestamp: new Date().toISOString(),
    machine: startMachine,
    settings: { ...settings, soakSeconds, scenarios: scenarioIds, rounds },
    scenarios,
    rounds: measured,
    soak: soakResult,
    targets: evaluateTargets(scenarios, soakResult),
    notes,
  };
  writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nMachine: ${formatMachine(results)}\n`);
  console.log(formatTable(results));
  console.log(`\nTargets (ratios within this run):\n${formatTargets(results.targets)}`);
  for (const note of notes) console.log(`\nNote: ${note}`);
  console.log('\nbench/results.json written.');
}

async function refreshTokens(url: string, data: SeedData): Promise<void> {
  for (const customer of data.customers) customer.accessToken = await login(url, customer.email, customer.password);
}

function log(message: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** The service's Redis keys (rate-limit counters, the revocation dataset's start time) go with the run. */
async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
