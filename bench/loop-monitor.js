'use strict';
/**
 * Preloaded into the service by the benchmark, outside src/ (`node -r ./bench/loop-monitor.js
 * dist/main.js`): it samples the event-loop delay, the resident set size and the process CPU time,
 * and adds no route.
 *
 * - Over IPC (the bench spawns the service with an IPC channel): `{ type: 'loop-monitor', op:
 *   'reset' | 'report', id }` is answered with a snapshot of the window since the last reset
 *   (`reset` starts a new window and answers with the state at that instant).
 * - Without IPC: with LOOP_MONITOR_FILE set, the snapshot is written there every 500 ms, and
 *   SIGUSR2 starts a new window.
 * - With BENCH_COUNT_CALLS=1 (the bench sets it unless run with BENCH_COUNT_CALLS=0), Postgres
 *   queries, Redis commands and Redis round trips are counted: it patches pg and ioredis in this
 *   process, one increment per query or command, and one per write on a Redis connection's socket (a
 *   pipeline, or a script with all its keys, is one write for several commands: one round trip).
 * - When the bench goes away (its IPC channel closes), the service is stopped (SIGTERM, graceful).
 */
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { writeFileSync } = require('node:fs');

// The histogram records the time between ticks of a 5 ms timer: the delay is what exceeds 5 ms.
const RESOLUTION_MS = 5;
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();
let peakRss = process.memoryUsage.rss();
let windowStart = Date.now();
let cpuAtStart = process.cpuUsage();
const counts = { responses: 0, pgQueries: 0, redisCommands: 0, redisRoundTrips: 0 };

// Responses the server finished in the window (the bench lets in-flight requests settle before a
// window opens and before it closes, so every query and CPU microsecond counted belongs to one).
const { ServerResponse } = require('node:http');
const end = ServerResponse.prototype.end;
ServerResponse.prototype.end = function countedEnd(...args) {
  if (!this.writableEnded) counts.responses += 1;
  return end.apply(this, args);
};

// RSS is sampled ten times a second; memoryUsage.rss() is a cheap call, memoryUsage() is not.
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100).unref();

const delayMs = (ns) => Math.max(0, Math.round(ns / 1e4 - RESOLUTION_MS * 100) / 100);

function snapshot() {
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);
  return {
    // The clock of --cpu-prof profiles (microseconds), so a profile can be cut to a scenario's window.
    monotonicUs: Number(process.hrtime.bigint() / 1000n),
    windowMs: Date.now() - windowStart,
    rssBytes: rss,
    peakRssBytes: peakRss,
    heapUsedBytes: process.memoryUsage().heapUsed,
    // CPU time of the whole process (event loop, libuv pool, GC threads) in the window: per request,
    // far steadier than req/s on a machine that other work shares.
    cpuUs: process.cpuUsage(cpuAtStart),
    eventLoopDelayMs: {
      p50: delayMs(histogram.percentile(50)),
      p99: delayMs(histogram.percentile(99)),
      max: delayMs(histogram.max),
      mean: delayMs(histogram.mean),
    },
    counts: { ...counts },
  };
}

function reset() {
  histogram.reset();
  peakRss = process.memoryUsage.rss();
  windowStart = Date.now();
  cpuAtStart = process.cpuUsage();
  counts.responses = 0;
  counts.pgQueries = 0;
  counts.redisCommands = 0;
  counts.redisRoundTrips = 0;
}

if (process.send) {
  process.on('message', (message) => {
    if (!message || message.type !== 'loop-monitor') return;
    if (message.op === 'reset') reset();
    process.send({ type: 'loop-monitor', id: message.id, ...snapshot() });
  });
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel.unref();
}

if (process.env.LOOP_MONITOR_FILE) {
  const file = process.env.LOOP_MONITOR_FILE;
  setInterval(() => writeFileSync(file, JSON.stringify(snapshot())), 500).unref();
  process.on('SIGUSR2', reset);
}

if (process.env.BENCH_COUNT_CALLS === '1') {
  const fromApp = (name) => require(require.resolve(name, { paths: [process.cwd()] }));
  const pg = fromApp('pg');
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(...args) {
    counts.pgQueries += 1;
    return query.apply(this, args);
  };
  const { Redis } = fromApp('ioredis');
  const sendCommand = Redis.prototype.sendCommand;
  const countedStreams = new WeakSet();
  Redis.prototype.sendCommand = function countedCommand(...args) {
    counts.redisCommands += 1;
    // ioredis writes a command, or a whole pipeline at once, with stream.write: count those writes.
    const stream = this.stream;
    if (stream && !countedStreams.has(stream)) {
      countedStreams.add(stream);
      const write = stream.write;
      stream.write = function countedWrite(...writeArgs) {
        counts.redisRoundTrips += 1;
        return write.apply(this, writeArgs);
      };
    }
    return sendCommand.apply(this, args);
  };
}
