import { cpus, loadavg, release, totalmem } from 'node:os';
import type { LoadResult, RunSettings, ScenarioResult } from './scenarios';
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
  settings: RunSettings & { soakSeconds: number; scenarios: number[] };
  scenarios: ScenarioResult[];
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

/** The issue-8 targets, as ratios within this run. */
export function evaluateTargets(scenarios: ScenarioResult[], soak: SoakResult | undefined): Target[] {
  const load = (id: number): LoadResult | undefined => scenarios.find((s) => s.id === id)?.load;
  const rps = (id: number) => load(id)?.requestsPerSecond;
  const ratio = (a?: number, b?: number) => (a === undefined || b === undefined || b === 0 ? undefined : Math.round((a / b) * 1000) / 1000);
  const s7reads = scenarios.find((s) => s.id === 7)?.load;
  return [
    target('S3 req/s ≥ 0.40 × S1 req/s', ratio(rps(3), rps(1)), 0.4, '>='),
    target('S4 req/s ≥ 0.90 × S3 req/s', ratio(rps(4), rps(3)), 0.9, '>='),
    target('S5 req/s ≥ 0.15 × S1 req/s', ratio(rps(5), rps(1)), 0.15, '>='),
    target('S7 token-read p99 < 3 × S3 p99', ratio(s7reads?.latencyMs.p99, load(3)?.latencyMs.p99), 3, '<'),
    soak
      ? target(`soak (${soak.seconds} s): RSS at end ≤ 1.2 × RSS after 30 s`, ratio(soak.rssAtEndMB, soak.rssAfter30sMB), 1.2, '<=')
      : { name: 'soak: RSS at end ≤ 1.2 × RSS after 30 s', limit: 1.2, comparison: '<=', verdict: 'n/a', note: 'not run (BENCH_SOAK_SECONDS=0; 300 for the full check)' },
  ];
}

function target(name: string, actual: number | undefined, limit: number, comparison: Target['comparison']): Target {
  if (actual === undefined) return { name, limit, comparison, verdict: 'n/a', note: 'a scenario it needs did not run' };
  const pass = comparison === '>=' ? actual >= limit : comparison === '<' ? actual < limit : actual <= limit;
  return { name, actual, limit, comparison, verdict: pass ? 'PASS' : 'MISS' };
}

/** The results table as Markdown, so it can be pasted into bench/README.md as it is. */
export function formatTable(results: Results): string {
  const s1 = results.scenarios.find((s) => s.id === 1)?.load?.requestsPerSecond;
  const counting = results.settings.countCalls;
  const header = ['#', 'scenario', 'req/s', '× S1', 'p50 ms', 'p99 ms', 'unexpected status', 'server CPU ms/req', 'server peak RSS MB', 'event-loop delay p99 ms', ...(counting ? ['pg queries/req', 'redis cmds/req'] : [])];
  const rows: string[][] = [];
  for (const scenario of results.scenarios) {
    if (scenario.skipped || !scenario.load) {
      rows.push([String(scenario.id), scenario.request, scenario.skipped ?? 'not run', ...header.slice(3).map(() => '–')]);
      continue;
    }
    const server = scenario.server!;
    const serverCells = [String(server.cpuMsPerRequest), String(server.peakRssMB), String(server.eventLoopDelayMs.p99)];
    const callCells = counting ? [String(server.pgQueriesPerRequest), String(server.redisCommandsPerRequest)] : [];
    const loadCells = (load: LoadResult) => [
      String(load.requestsPerSecond),
      s1 ? (load.requestsPerSecond / s1).toFixed(2) : '–',
      String(load.latencyMs.p50),
      String(load.latencyMs.p99),
      load.unexpected === 0 ? '0' : `**${load.unexpected}** ${JSON.stringify(load.statusCodes)}`,
    ];
    const name = scenario.parallel ? `${scenario.load.label}, during logins` : scenario.request;
    rows.push([String(scenario.id), name, ...loadCells(scenario.load), ...serverCells, ...callCells]);
    if (scenario.parallel) rows.push([`${scenario.id}b`, `${scenario.parallel.label}, in parallel`, ...loadCells(scenario.parallel), '(both)', '(same)', '(same)', ...callCells.map(() => '(both)')]);
  }
  if (results.soak) {
    const soak = results.soak;
    rows.push([
      'soak',
      `S3 load for ${soak.seconds} s: RSS ${soak.rssAfter30sMB} MB after 30 s → ${soak.rssAtEndMB} MB at end`,
      String(soak.load.requestsPerSecond),
      s1 ? (soak.load.requestsPerSecond / s1).toFixed(2) : '–',
      String(soak.load.latencyMs.p50),
      String(soak.load.latencyMs.p99),
      String(soak.load.unexpected),
      '–',
      String(soak.peakRssMB),
      String(soak.eventLoopDelayP99Ms),
      ...(counting ? ['–', '–'] : []),
    ]);
  }
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function formatTargets(targets: Target[]): string {
  return targets
    .map((t) => `- ${t.verdict.padEnd(4)} ${t.name}: ${t.actual === undefined ? '–' : t.actual.toFixed(2)} (target ${t.comparison} ${t.limit})${t.note ? ` — ${t.note}` : ''}`)
    .join('\n');
}

export function formatMachine(results: Results): string {
  const m = results.machine;
  return `${m.cpuCount} × ${m.cpuModel}, ${m.totalMemoryGB} GB RAM, ${m.os}, Node ${m.node}; load average at start ${m.loadAverageAtStart.join(' / ')}; ${results.timestamp}`;
}
