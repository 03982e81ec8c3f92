import type { ScenarioResult } from './scenarios';

/** One scenario over all rounds: medians (noise hits every scenario of a round alike), ranges, sums. */
export interface ScenarioSummary {
  id: number;
  name: string;
  request: string;
  rounds: number;
  skipped?: string;
  requestsPerSecond: number;
  requestsPerSecondRange: [number, number];
  latencyMs: { p50: number; p99: number };
  /** Every round's unexpected statuses, socket errors and timeouts: must be 0. */
  unexpected: number;
  statusCodes: Record<string, number>;
  cpuMsPerRequest: number;
  cpuMsPerRequestRange: [number, number];
  peakRssMB: number;
  eventLoopDelayP99Ms: number;
  pgQueriesPerRequest?: number;
  redisCommandsPerRequest?: number;
  redisRoundTripsPerRequest?: number;
  /** Scenario 7's second load (the logins), medians too. */
  parallel?: { label: string; requestsPerSecond: number; latencyMs: { p50: number; p99: number }; unexpected: number };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const range = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];

/** The rounds' results, one summary per scenario, in the order the scenarios ran. */
export function summarizeRounds(results: ScenarioResult[]): ScenarioSummary[] {
  const ids = [...new Set(results.map((result) => result.id))];
  return ids.map((id) => summarizeScenario(results.filter((result) => result.id === id)));
}

function summarizeScenario(results: ScenarioResult[]): ScenarioSummary {
  const { id, name, request } = results[0];
  const measured = results.filter((result) => result.load && result.server);
  if (measured.length === 0) {
    return {
      id,
      name,
      request,
      rounds: 0,
      skipped: results[0].skipped ?? 'not run',
      requestsPerSecond: 0,
      requestsPerSecondRange: [0, 0],
      latencyMs: { p50: 0, p99: 0 },
      unexpected: 0,
      statusCodes: {},
      cpuMsPerRequest: 0,
      cpuMsPerRequestRange: [0, 0],
      peakRssMB: 0,
      eventLoopDelayP99Ms: 0,
    };
  }
  const loads = measured.map((result) => result.load!);
  const servers = measured.map((result) => result.server!);
  const statusCodes: Record<string, number> = {};
  for (const load of loads) for (const [code, count] of Object.entries(load.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + count;
  const callMedian = (pick: (server: (typeof servers)[number]) => number | undefined) => {
    const values = servers.map(pick).filter((value): value is number => value !== undefined);
    return values.length ? round3(median(values)) : undefined;
  };
  const parallels = measured.map((result) => result.parallel).filter((load) => load !== undefined);
  return {
    id,
    name,
    request,
    rounds: measured.length,
    requestsPerSecond: round3(median(loads.map((load) => load.requestsPerSecond))),
    requestsPerSecondRange: range(loads.map((load) => load.requestsPerSecond)),
    latencyMs: { p50: median(loads.map((load) => load.latencyMs.p50)), p99: median(loads.map((load) => load.latencyMs.p99)) },
    unexpected: loads.reduce((sum, load) => sum + load.unexpected, 0),
    statusCodes,
    cpuMsPerRequest: round3(median(servers.map((server) => server.cpuMsPerRequest))),
    cpuMsPerRequestRange: range(servers.map((server) => server.cpuMsPerRequest)),
    peakRssMB: Math.max(...servers.map((server) => server.peakRssMB)),
    eventLoopDelayP99Ms: round3(median(servers.map((server) => server.eventLoopDelayMs.p99))),
    pgQueriesPerRequest: callMedian((server) => server.pgQueriesPerRequest),
    redisCommandsPerRequest: callMedian((server) => server.redisCommandsPerRequest),
    redisRoundTripsPerRequest: callMedian((server) => server.redisRoundTripsPerRequest),
    ...(parallels.length > 0 && {
      parallel: {
        label: parallels[0].label,
        requestsPerSecond: round3(median(parallels.map((load) => load.requestsPerSecond))),
        latencyMs: { p50: median(parallels.map((load) => load.latencyMs.p50)), p99: median(parallels.map((load) => load.latencyMs.p99)) },
        unexpected: parallels.reduce((sum, load) => sum + load.unexpected, 0),
      },
    }),
  };
}
