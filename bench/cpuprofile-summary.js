'use strict';
/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`): where the service spent its CPU time.
 *
 *   node bench/cpuprofile-summary.js <file.cpuprofile> [--scenario N] [--results bench/results.json]
 *                                    [--top 30] [--filter text]
 *
 * With --scenario, only the samples of that scenario's measured windows (every round) count (results.json records
 * each window on the service's monotonic clock, the clock of its profile): no boot, seeding or warm-up.
 * Prints self time by package (node_modules/<pkg>, the app's own dist/, node: internals, GC, idle),
 * self time by function, and inclusive time (the function and everything it called). `--filter`
 * keeps only frames whose name or file contains the text. Time per sample comes from the profile's
 * timeDeltas, so it does not depend on the sampling interval.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1];
};
const file = args[0];
if (!file || file.startsWith('--')) {
  console.error('usage: node bench/cpuprofile-summary.js <file.cpuprofile> [--scenario N] [--results bench/results.json] [--top 30] [--filter text]');
  process.exit(2);
}
const top = Number(option('top', '30'));
const filter = option('filter');
const profile = JSON.parse(readFileSync(file, 'utf8'));

/** The measured windows to count: every round's window of the chosen scenario, or the whole profile. */
let windows = [[-Infinity, Infinity]];
const scenarioId = option('scenario');
if (scenarioId !== undefined) {
  const results = JSON.parse(readFileSync(option('results', join(__dirname, 'results.json')), 'utf8'));
  windows = results.rounds.filter((s) => String(s.id) === scenarioId && s.server?.windowUs).map((s) => s.server.windowUs);
  if (windows.length === 0) {
    console.error(`results.json has no measured window for scenario ${scenarioId}`);
    process.exit(2);
  }
  if (windows.some(([start, end]) => start < profile.startTime || end > profile.endTime)) {
    console.error('a window is not inside this profile: was the profile written by the run that wrote results.json (and by the service, not the bare app)?');
    process.exit(2);
  }
}
const inWindow = (at) => windows.some(([start, end]) => at >= start && at <= end);

const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

/** Where a frame's code lives: a package, the app, a Node internal, or a V8 pseudo-frame. */
function origin({ url, functionName }) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const app = /\/(dist|bench|test)\/(.*)$/.exec(url);
  return app ? `${app[1]}/${app[2].split('/')[0]}` : url;
}

function frameName({ functionName, url, lineNumber }) {
  const where = url
    ? `${url
        .replace(/^.*node_modules\//, '')
        .replace(/^file:\/\/.*\/dist\//, 'dist/')
        .replace(/^.*\/dist\//, 'dist/')}:${lineNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

const selfByFrame = new Map();
const selfByOrigin = new Map();
const totalByFrame = new Map();
let totalUs = 0;
let idleUs = 0;

const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);

// Sample i was taken at startTime + timeDeltas[0..i]; it stands for the time until the next sample.
let at = profile.startTime;
profile.samples.forEach((nodeId, index) => {
  at += profile.timeDeltas[index];
  const us = profile.timeDeltas[index + 1] ?? 0;
  if (!inWindow(at)) return;
  const node = byId.get(nodeId);
  totalUs += us;
  if (node.callFrame.functionName === '(idle)') idleUs += us;
  add(selfByFrame, frameName(node.callFrame), us);
  add(selfByOrigin, origin(node.callFrame), us);
  // Inclusive time: every distinct frame on this sample's stack, once.
  const seen = new Set();
  for (let id = nodeId; id !== undefined; id = parent.get(id)) {
    const name = frameName(byId.get(id).callFrame);
    if (!seen.has(name)) {
      seen.add(name);
      add(totalByFrame, name, us);
    }
  }
});

const busyUs = totalUs - idleUs;
const pct = (us, of) => `${((100 * us) / of).toFixed(1).padStart(5)}%`;
const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const matches = (name) => !filter || name.includes(filter);

function print(title, map, of, limit = top) {
  console.log(`\n${title}`);
  [...map.entries()]
    .filter(([name]) => name !== '(idle)' && matches(name))
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .forEach(([name, us]) => console.log(`${ms(us)} ${pct(us, of)}  ${name}`));
}

console.log(
  `${file}${scenarioId ? ` (scenario ${scenarioId}'s measured windows, ${windows.length} round(s))` : ''}\nsampled ${ms(totalUs).trim()}, idle ${ms(idleUs).trim()}, busy ${ms(busyUs).trim()} (percentages below are of busy time)`,
);
print('Self time by package / origin', selfByOrigin, busyUs);
print('Self time by function', selfByFrame, busyUs);
// Pseudo-frames ((root), (program)) and the first frames of every stack are not interesting as totals.
const totals = new Map([...totalByFrame].filter(([name]) => !name.startsWith('(') && totalByFrame.get(name) < busyUs * 0.95));
print('Inclusive time (the function and everything it called)', totals, busyUs);
