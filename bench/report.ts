import { cpus, loadavg, release, totalmem } from 'node:os';
import type { ScenarioSummary } from './rounds';
import type { RunSettings, ScenarioResult } from './scenarios';
import type { SoakResult } from './soak';

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  totalMemoryGB: number;
  node: string;
  os: string;
  /** 1, 5 and 15-minute load averages when the run began: other work on the machine skews absolute numbers. */
  loadAverageAtStart: number[];
}

export interface Target {
  name: string;
  /** The measured ratio, or undefined when a scenario it needs did not run. */
  actual?: number;
  limit: number;
  comparison: '>=' | '<' | '<=';
  verdict: 'PASS' | 'MISS' | 'n/a';
  note?: string;
}

export interface Results {
  timestamp: string;
  machine: Machine;
  settings: RunSettings & { soakSeconds: number; scenarios: number[]; rounds: number };
  /** Every scenario's medians over the rounds: what the table and the targets use. */
  scenarios: ScenarioSummary[];
  /** Every measured run, round by round (their windows cut a --cpu-prof profile: cpuprofile-summary.js). */
  rounds: ScenarioResult[];
  soak?: SoakResult;
  targets: Target[];
  notes: string[];
}

export function machine(): Machine {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cpuCount: cores.length,
    totalMemoryGB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/**
 * The performance targets (docs/design.md, "Performance"), as ratios within this run: server CPU per
 * request against the bare NestJS route (scenario 0) and against /health/live, medians over the rounds.
 */
export function evaluateTargets(scenarios: ScenarioSummary[], soak: SoakResult | undefined): Target[] {
  const find = (id: number) => scenarios.find((s) => s.id === id && s.rounds > 0);
  const cpu = (id: number) => find(id)?.cpuMsPerRequest;
  const ratio = (a?: number, b?: number) => (a === undefined || b === undefined || b === 0 ? undefined : Math.round((a / b) * 1000) / 1000);
  const calls = (id: number, kind: 'pgQueriesPerRequest' | 'redisRoundTripsPerRequest') => find(id)?.[kind];
  return [
    target('S1 /health/live CPU ≤ 3 × bare route CPU', ratio(cpu(1), cpu(0)), 3, '<='),
    target('S3 JWT read CPU ≤ 10 × bare route CPU', ratio(cpu(3), cpu(0)), 10, '<='),
    target('S4 API-key read CPU ≤ 1.1 × S3 CPU', ratio(cpu(4), cpu(3)), 1.1, '<='),
    target('S5 order placement CPU ≤ 40 × bare route CPU', ratio(cpu(5), cpu(0)), 40, '<='),
    target('S5 Postgres round trips per order ≤ 4', calls(5, 'pgQueriesPerRequest'), 4, '<='),
    target('S3 Redis round trips per JWT read ≤ 1', calls(3, 'redisRoundTripsPerRequest'), 1, '<='),
    target('S4 Redis round trips per API-key read ≤ 1', calls(4, 'redisRoundTripsPerRequest'), 1, '<='),
    target('S1 Redis round trips per /health/live = 0', calls(1, 'redisRoundTripsPerRequest'), 0, '<='),
    target('S3 req/s ≥ 0.5 × S1 req/s', ratio(find(3)?.requestsPerSecond, find(1)?.requestsPerSecond), 0.5, '>='),
    target('S7 token-read p99 < 2 × S3 p99', ratio(find(7)?.latencyMs.p99, find(3)?.latencyMs.p99), 2, '<'),
    soak
      ? target(`soak (${soak.seconds} s): RSS at end ≤ 1.2 × RSS after 30 s`, ratio(soak.rssAtEndMB, soak.rssAfter30sMB), 1.2, '<=')
      : {
          name: 'soak: RSS at end ≤ 1.2 × RSS after 30 s',
          limit: 1.2,
          comparison: '<=',
          verdict: 'n/a',
          note: 'not run (BENCH_SOAK_SECONDS=0; 300 for the full check)',
        },
  ];
}

function target(name: string, actual: number | undefined, limit: number, comparison: Target['comparison']): Target {
  if (actual === undefined) return { name, limit, comparison, verdict: 'n/a', note: 'a scenario it needs did not run (or BENCH_COUNT_CALLS=0)' };
  const pass = comparison === '>=' ? actual >= limit : comparison === '<' ? actual < limit : actual <= limit;
  return { name, actual, limit, comparison, verdict: pass ? 'PASS' : 'MISS' };
}

/** The results table as Markdown (medians over the rounds), so it can be pasted into bench/README.md as it is. */
export function formatTable(results: Results): string {
  const find = (id: number) => results.scenarios.find((s) => s.id === id && s.rounds > 0);
  const bareCpu = find(0)?.cpuMsPerRequest;
  const s1 = find(1);
  const times = (value: number, of?: number) => (of ? (value / of).toFixed(2) : '–');
  const header = [
    '#',
    'scenario',
    'req/s',
    'req/s ÷ S1',
    'server CPU ms/req',
    'CPU × bare',
    'CPU × S1',
    'p50 ms',
    'p99 ms',
    'unexpected',
    'peak RSS MB',
    'loop delay p99 ms',
    'pg/req',
    'redis cmds/req',
    'redis trips/req',
  ];
  const rows: string[][] = [];
  for (const scenario of results.scenarios) {
    if (scenario.rounds === 0) {
      rows.push([String(scenario.id), scenario.request, scenario.skipped ?? 'not run', ...header.slice(3).map(() => '–')]);
      continue;
    }
    const name = scenario.parallel ? `${scenario.request}: token reads, during logins` : scenario.request;
    rows.push([
      String(scenario.id),
      name,
      String(scenario.requestsPerSecond),
      times(scenario.requestsPerSecond, s1?.requestsPerSecond),
      String(scenario.cpuMsPerRequest),
      times(scenario.cpuMsPerRequest, bareCpu),
      times(scenario.cpuMsPerRequest, s1?.cpuMsPerRequest),
      String(scenario.latencyMs.p50),
      String(scenario.latencyMs.p99),
      scenario.unexpected === 0 ? '0' : `**${scenario.unexpected}** ${JSON.stringify(scenario.statusCodes)}`,
      String(scenario.peakRssMB),
      String(scenario.eventLoopDelayP99Ms),
      String(scenario.pgQueriesPerRequest ?? '–'),
      String(scenario.redisCommandsPerRequest ?? '–'),
      String(scenario.redisRoundTripsPerRequest ?? '–'),
    ]);
    const parallel = scenario.parallel;
    if (parallel) {
      rows.push([
        `${scenario.id}b`,
        `${parallel.label}, in parallel`,
        String(parallel.requestsPerSecond),
        times(parallel.requestsPerSecond, s1?.requestsPerSecond),
        '(both)',
        '',
        '',
        String(parallel.latencyMs.p50),
        String(parallel.latencyMs.p99),
        String(parallel.unexpected),
        '(same)',
        '(same)',
        '(both)',
        '(both)',
        '(both)',
      ]);
    }
  }
  if (results.soak) {
    const soak = results.soak;
    const load = soak.load;
    rows.push([
      'soak',
      `S3 load for ${soak.seconds} s: RSS ${soak.rssAfter30sMB} MB after 30 s → ${soak.rssAtEndMB} MB at end`,
      String(load.requestsPerSecond),
      times(load.requestsPerSecond, s1?.requestsPerSecond),
      '–',
      '–',
      '–',
      String(load.latencyMs.p50),
      String(load.latencyMs.p99),
      String(load.unexpected),
      String(soak.peakRssMB),
      String(soak.eventLoopDelayP99Ms),
      '–',
      '–',
      '–',
    ]);
  }
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function formatTargets(targets: Target[]): string {
  return targets
    .map(
      (t) =>
        `- ${t.verdict.padEnd(4)} ${t.name}: ${t.actual === undefined ? '–' : t.actual.toFixed(2)} (target ${t.comparison} ${t.limit})${t.note ? ` — ${t.note}` : ''}`,
    )
    .join('\n');
}

export function formatMachine(results: Results): string {
  const m = results.machine;
  return `${m.cpuCount} × ${m.cpuModel}, ${m.totalMemoryGB} GB RAM, ${m.os}, Node ${m.node}; load average at start ${m.loadAverageAtStart.join(' / ')}; ${results.settings.rounds} round(s), medians; ${results.timestamp}`;
}
