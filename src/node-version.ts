import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Stops the process with one line when it runs on a Node.js older than package.json's
 * `engines.node` (`>=24.9`). Imported first by main.ts and the CLIs, so it runs before anything
 * that needs Node 24 is loaded: on Node 20, loading the app killed the process with a
 * segmentation fault and not a word of output. Written for any Node version (CommonJS, no newer
 * syntax or API).
 */
function requireSupportedNode(): void {
  const engines = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { engines: { node: string } };
  const needed = engines.engines.node.replace(/^>=\s*/, '');
  const [major, minor] = process.versions.node.split('.').map(Number);
  const [neededMajor, neededMinor = 0] = needed.split('.').map(Number);
  if (major > neededMajor || (major === neededMajor && minor >= neededMinor)) return;
  console.error(
    `Node.js ${needed} or later is needed, and this is ${process.versions.node}: use \`npm start\` (or another npm script), which runs the Node 24 that npm ci installs, or install Node.js 24 from https://nodejs.org`,
  );
  process.exit(1);
}

requireSupportedNode();
