import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = join(__dirname, '../../dist/main.js');
const NEEDED =
  /^Node\.js 24\.9 or later is needed, and this is [\d.]+: use `npm start` \(or another npm script\), which runs the Node 24 that npm ci installs, or install Node\.js 24 from https:\/\/nodejs\.org\n$/;
/** The machine's own Node, which on these machines is older than the one the project brings (README, Two commands). */
const SYSTEM_NODE = '/usr/bin/node';

function run(node: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'orders-node-version-'));
  try {
    const result = spawnSync(node, [...args, MAIN], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const systemNodeVersion = existsSync(SYSTEM_NODE) ? spawnSync(SYSTEM_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';
const olderSystemNode = /^v(1\d|2[0-3])\./.test(systemNodeVersion);

/** `node dist/main.js` on a Node older than package.json's engines.node: one line saying what to do, exit 1. */
describe('Started on an older Node.js', () => {
  it('says in one line which Node is needed and how to get it, before loading anything that needs it (faked version)', () => {
    // Node 24 told it is 20.20.2: the check, not a crash, has to be what stops it.
    const preload = join(mkdtempSync(join(tmpdir(), 'orders-preload-')), 'old-node.js');
    writeFileSync(preload, "Object.defineProperty(process.versions, 'node', { value: '20.20.2' });\n");
    const result = run(process.execPath, ['--require', preload]);
    rmSync(join(preload, '..'), { recursive: true, force: true });
    expect(result).toEqual({ status: 1, stdout: '', stderr: expect.stringMatching(NEEDED) });
  });

  (olderSystemNode ? it : it.skip)(
    `says the same under the machine's own ${SYSTEM_NODE} (${systemNodeVersion || 'absent'}), where it used to die without a word`,
    () => {
      expect(run(SYSTEM_NODE, [])).toEqual({ status: 1, stdout: '', stderr: expect.stringMatching(NEEDED) });
    },
  );
});
