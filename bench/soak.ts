import { fire, Load, LoadResult, mb, summarize } from './scenarios';
import type { MonitoredProcess } from './monitored-process';

export interface SoakResult {
  seconds: number;
  connections: number;
  load: LoadResult;
  /** The service's RSS after the first 30 s and at the end, and every 10 s in between. */
  rssAfter30sMB: number;
  rssAtEndMB: number;
  peakRssMB: number;
  heapUsedAfter30sMB: number;
  heapUsedAtEndMB: number;
  rssSeriesMB: Array<{ atSeconds: number; rssMB: number; heapUsedMB: number }>;
  eventLoopDelayP99Ms: number;
}

/** The soak's first reading is taken after this long, its last at the end (issue 8: "within 1.2×"). */
const FIRST_READING_SECONDS = 30;

/** Scenario 3's load for `seconds`, watching the service's memory for a leak. */
export async function soak(service: MonitoredProcess, load: Load, connections: number, seconds: number): Promise<SoakResult> {
  await service.reset();
  const started = Date.now();
  const series: SoakResult['rssSeriesMB'] = [];
  const sampler = setInterval(() => {
    void service
      .report()
      .then((snapshot) =>
        series.push({ atSeconds: Math.round((Date.now() - started) / 1000), rssMB: mb(snapshot.rssBytes), heapUsedMB: mb(snapshot.heapUsedBytes) }),
      );
  }, 10_000);
  let first: Awaited<ReturnType<MonitoredProcess['report']>> | undefined;
  const firstReading = setTimeout(() => void service.report().then((snapshot) => (first = snapshot)), FIRST_READING_SECONDS * 1000);
  try {
    const result = await fire(service, load, connections, seconds);
    const last = await service.report();
    if (!first) throw new Error(`the soak must run longer than ${FIRST_READING_SECONDS} s`);
    return {
      seconds,
      connections,
      load: summarize(load, result),
      rssAfter30sMB: mb(first.rssBytes),
      rssAtEndMB: mb(last.rssBytes),
      peakRssMB: mb(last.peakRssBytes),
      heapUsedAfter30sMB: mb(first.heapUsedBytes),
      heapUsedAtEndMB: mb(last.heapUsedBytes),
      rssSeriesMB: series,
      eventLoopDelayP99Ms: last.eventLoopDelayMs.p99,
    };
  } finally {
    clearInterval(sampler);
    clearTimeout(firstReading);
  }
}
