import autocannon = require('autocannon');
import type { AutocannonRequest, AutocannonResult } from 'autocannon';
import { PROXY_HEADERS, SeedData } from './seed';
import type { MonitoredProcess, MonitorSnapshot } from './monitored-process';

/** One load: a list of requests that every connection cycles through, and the status each must get. */
export interface Load {
  label: string;
  expectedStatus: number;
  requests: AutocannonRequest[];
}

export interface Scenario {
  id: number;
  /** Which process takes the load: the service, or the bare NestJS reference app (scenario 0). */
  target: 'service' | 'bare';
  name: string;
  /** What the scenario asks the service, for the table. */
  request: string;
  /** The load that is measured; `parallel` runs beside it (scenario 7) and is reported separately. */
  load: Load;
  parallel?: Load;
  /** Set when the scenario cannot run (e.g. no API keys yet). */
  skipped?: string;
}

export interface LoadResult {
  label: string;
  requestsPerSecond: number;
  requests: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  expectedStatus: number;
  /** Responses with another status than expected, plus socket errors and timeouts: must be 0. */
  unexpected: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

export interface ScenarioResult {
  id: number;
  round: number;
  name: string;
  request: string;
  connections: number;
  durationSeconds: number;
  skipped?: string;
  load?: LoadResult;
  parallel?: LoadResult;
  server?: {
    /** The measured window on the service's monotonic clock (µs), to cut a --cpu-prof profile to it. */
    windowUs: [number, number];
    peakRssMB: number;
    rssMB: number;
    /** CPU time the service process used per measured request (all its threads), in ms. */
    cpuMsPerRequest: number;
    eventLoopDelayMs: MonitorSnapshot['eventLoopDelayMs'];
    /** Unless BENCH_COUNT_CALLS=0: per measured request (both loads for scenario 7). */
    pgQueriesPerRequest?: number;
    redisCommandsPerRequest?: number;
    redisRoundTripsPerRequest?: number;
  };
}

export interface RunSettings {
  connections: number;
  seconds: number;
  warmupSeconds: number;
  countCalls: boolean;
}

const json = { 'content-type': 'application/json' };

export function defineScenarios(seed: SeedData): Scenario[] {
  const { customers, productIds } = seed;
  const tokenReads: Load = {
    label: 'GET /orders/:id (token)',
    expectedStatus: 200,
    requests: customers.map((c) => ({ method: 'GET', path: `/api/v1/orders/${c.orderId}`, headers: { authorization: `Bearer ${c.accessToken}` } })),
  };
  const logins: Load = {
    label: 'POST /auth/login',
    expectedStatus: 200,
    requests: customers.map((c) => ({
      method: 'POST',
      path: '/api/v1/auth/login',
      headers: json,
      body: JSON.stringify({ email: c.email, password: c.password }),
    })),
  };
  return [
    {
      id: 0,
      target: 'bare',
      name: 'bare NestJS + Fastify (reference)',
      request: 'GET /hello (bare app)',
      load: { label: 'GET /hello', expectedStatus: 200, requests: [{ method: 'GET', path: '/hello' }] },
    },
    {
      id: 1,
      target: 'service',
      name: 'liveness (baseline)',
      request: 'GET /health/live',
      load: { label: 'GET /health/live', expectedStatus: 200, requests: [{ method: 'GET', path: '/health/live' }] },
    },
    {
      id: 2,
      target: 'service',
      name: 'public product read',
      request: 'GET /api/v1/products/:id',
      load: { label: 'GET /products/:id', expectedStatus: 200, requests: productIds.map((id) => ({ method: 'GET', path: `/api/v1/products/${id}` })) },
    },
    { id: 3, target: 'service', name: 'order read, access token', request: 'GET /api/v1/orders/:id (Bearer JWT)', load: tokenReads },
    {
      id: 4,
      target: 'service',
      name: 'order read, API key',
      request: 'GET /api/v1/orders/:id (X-API-Key)',
      skipped: seed.apiKeysUnavailable && `skipped: ${seed.apiKeysUnavailable}`,
      load: {
        label: 'GET /orders/:id (API key)',
        expectedStatus: 200,
        requests: customers.filter((c) => c.apiKey).map((c) => ({ method: 'GET', path: `/api/v1/orders/${c.orderId}`, headers: { 'x-api-key': c.apiKey! } })),
      },
    },
    { id: 5, target: 'service', name: 'place order, access token', request: 'POST /api/v1/orders (2 lines)', load: placeOrders(seed) },
    { id: 6, target: 'service', name: 'login (argon2id)', request: 'POST /api/v1/auth/login', load: logins },
    { id: 7, target: 'service', name: 'order reads during logins', request: 'scenario 3 + scenario 6 at once', load: tokenReads, parallel: logins },
  ];
}

/**
 * Customer k orders products 2k and 2k+1 (mod the product count), and consecutive requests go to
 * consecutive customers: requests in flight at once rarely wait for one another's row locks, so
 * the scenario measures the write path, not one hot row.
 */
function placeOrders({ customers, productIds }: SeedData): Load {
  let next = 0;
  const bodies = customers.map((_, k) =>
    JSON.stringify({ items: [0, 1].map((line) => ({ productId: productIds[(2 * k + line) % productIds.length], quantity: 1 })) }),
  );
  return {
    label: 'POST /orders',
    expectedStatus: 201,
    requests: [
      {
        setupRequest: (request) => {
          const k = next++ % customers.length;
          // request.headers already holds the defaults (the proxy header): add to them, never replace them.
          const headers = { ...request.headers, ...json, authorization: `Bearer ${customers[k].accessToken}` };
          return { ...request, method: 'POST', path: '/api/v1/orders', headers, body: bodies[k] };
        },
      },
    ],
  };
}

/**
 * autocannon stops at its deadline without waiting for the requests still in flight; the server
 * goes on answering them. Waiting for the slowest answer it saw (at most 5 s) lets them finish, so
 * a window neither starts with the warm-up's leftovers nor ends with half-served requests.
 */
function settle(results: AutocannonResult[]): Promise<void> {
  const slowestMs = Math.max(...results.map((result) => result.latency.max));
  return new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 + slowestMs)));
}

/** Warm-up (discarded), then a new monitor window, then the measured run; per-request figures divide by the server's own count of responses. */
export async function runScenario(service: MonitoredProcess, scenario: Scenario, settings: RunSettings, round: number): Promise<ScenarioResult> {
  const base = { id: scenario.id, round, name: scenario.name, request: scenario.request, connections: settings.connections, durationSeconds: settings.seconds };
  if (scenario.skipped) return { ...base, skipped: scenario.skipped };
  const loads = scenario.parallel ? [scenario.load, scenario.parallel] : [scenario.load];
  if (settings.warmupSeconds > 0) await settle(await Promise.all(loads.map((load) => fire(service, load, settings.connections, settings.warmupSeconds))));
  const start = await service.reset();
  const [main, parallel] = await Promise.all(loads.map((load) => fire(service, load, settings.connections, settings.seconds)));
  await settle([main, parallel].filter(Boolean));
  const snapshot = await service.report();
  const results = [main, parallel].filter(Boolean).map((result, index) => summarize(loads[index], result));
  return { ...base, load: results[0], parallel: results[1], server: serverSide(start, snapshot, settings.countCalls) };
}

export function fire(service: MonitoredProcess, load: Load, connections: number, seconds: number): Promise<AutocannonResult> {
  return Promise.resolve(autocannon({ url: service.url, connections, duration: seconds, headers: { ...PROXY_HEADERS }, requests: load.requests }));
}

export function summarize(load: Load, result: AutocannonResult): LoadResult {
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
  const answered = Object.values(statusCodes).reduce((sum, count) => sum + count, 0);
  const unexpected = answered - (statusCodes[String(load.expectedStatus)] ?? 0) + result.errors + result.timeouts;
  const { p50, p90, p99, max, mean } = result.latency;
  return {
    label: load.label,
    requestsPerSecond: Math.round((result.requests.total / result.duration) * 10) / 10,
    requests: result.requests.total,
    latencyMs: { p50, p90, p99, max, mean },
    expectedStatus: load.expectedStatus,
    unexpected,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

export function serverSide(start: MonitorSnapshot, snapshot: MonitorSnapshot, countCalls: boolean): ScenarioResult['server'] {
  const requests = snapshot.counts.responses;
  const perRequest = (count: number) => Math.round((count / Math.max(1, requests)) * 100) / 100;
  return {
    windowUs: [start.monotonicUs, snapshot.monotonicUs],
    peakRssMB: mb(snapshot.peakRssBytes),
    rssMB: mb(snapshot.rssBytes),
    cpuMsPerRequest: Math.round(((snapshot.cpuUs.user + snapshot.cpuUs.system) / 1000 / Math.max(1, requests)) * 1000) / 1000,
    eventLoopDelayMs: snapshot.eventLoopDelayMs,
    ...(countCalls && {
      pgQueriesPerRequest: perRequest(snapshot.counts.pgQueries),
      redisCommandsPerRequest: perRequest(snapshot.counts.redisCommands),
      redisRoundTripsPerRequest: perRequest(snapshot.counts.redisRoundTrips),
    }),
  };
}

export function mb(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}
