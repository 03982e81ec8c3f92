import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcess, startServerProcess } from '../support/server-process';
import { normalizeOutput, walkthroughSteps, WalkthroughStep, withAllowedVariation } from './readme-steps';

const README = join(__dirname, '../../README.md');
const SECTION = 'Walkthrough with curl';
/** Printed after every step, to cut the shell's output back into steps. */
const STEP_DONE = '@@ walkthrough step done @@';

/**
 * The README's "Walkthrough with curl", run as a reader runs it: its ```sh blocks in order, in one
 * bash, against the built service (`npm start`'s `dist/main.js`) on a fresh embedded database.
 * What each block prints is compared with the ```text block under it, so a change in behaviour (a
 * BOLA answered 200, an old key still accepted, no 429) fails the step it breaks, by name.
 */
describe('README: walkthrough with curl', () => {
  // The reader's project folder: the service keeps its data in `.data/` inside it, where the
  // walkthrough reads the demo admin's password.
  const projectDir = mkdtempSync(join(tmpdir(), 'readme-walkthrough-'));
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    // What a reader needs besides Node.js (README, "Two commands"): say so rather than fail obscurely.
    const missing = ['bash', 'curl', 'jq'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
    if (missing.length > 0) throw new Error(`the walkthrough needs ${missing.join(', ')} on the PATH (Debian: apt-get install ${missing.join(' ')})`);
    server = await startServerProcess({
      DATA_DIR: join(projectDir, '.data'),
      // The origin of the links the service mails, as a reader's `npm start` has it by default
      // (http://localhost:PORT): the README shows those links. This server listens on another port.
      PUBLIC_URL: 'http://localhost:3000',
    });
  });

  afterAll(async () => {
    if (server?.child.pid) {
      process.kill(server.child.pid, 'SIGTERM');
      await server.exited;
    }
    rmSync(projectDir, { recursive: true, force: true });
  });

  it('follows a verification link and a password reset link from the development mailbox', () => {
    const scripts = walkthroughSteps(readFileSync(README, 'utf8'), SECTION).map((step) => step.script);
    const stepPosting = (route: string) => scripts.findIndex((script) => script.includes(`"$BASE/api/v1${route}"`));
    // Without SMTP_URL (the server above has none) the mails are kept, and /dev/mail shows them.
    expect(scripts.some((script) => script.includes('"$BASE/dev/mail"'))).toBe(true);
    // Registered, then verified before the first login; a reset asked for, then confirmed.
    const order = ['/auth/register', '/auth/email-verification', '/auth/login', '/auth/password-reset', '/auth/password-reset/confirm'].map(stepPosting);
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('prints, step by step, what the README says it prints', async () => {
    const steps = walkthroughSteps(readFileSync(README, 'utf8'), SECTION);

    const printed = await runInOneShell(steps, projectDir, `http://127.0.0.1:${server!.port}`);

    const actual = steps.map((step, index) => ({
      step: step.name,
      output: withAllowedVariation(normalizeOutput(printed[index]), normalizeOutput(step.expectedOutput)),
    }));
    expect(actual).toEqual(steps.map((step) => ({ step: step.name, output: normalizeOutput(step.expectedOutput) })));
  }, 180_000);
});

/**
 * Runs the steps one after another in one `bash -euo pipefail`, as pasted into one terminal (shell
 * variables carry over), and returns what each printed. The step where bash stopped ends with its
 * exit code; the steps after it read "(not reached)".
 */
async function runInOneShell(steps: WalkthroughStep[], cwd: string, baseUrl: string): Promise<string[]> {
  const script = [
    // curl writes the status codes to stderr: one stream keeps them in order with everything else.
    'exec 2>&1',
    ...steps.map((step) => `${step.script}\nprintf '\\n%s\\n' '${STEP_DONE}'`),
  ].join('\n');
  const { code, output } = await runBash(script, {
    cwd,
    // HOME is the temporary folder, so a ~/.curlrc on this machine cannot change the requests.
    env: { PATH: process.env.PATH ?? '', HOME: cwd, BASE: baseUrl },
  });
  const parts = output.split(`\n${STEP_DONE}\n`);
  return steps.map((_, index) => {
    if (index < parts.length - 1) return parts[index];
    if (index === parts.length - 1) return `${parts[index]}\n(bash stopped here with exit code ${code})`;
    return '(not reached)';
  });
}

/** Runs a bash script; one still running after two minutes is killed (by its pid). */
function runBash(script: string, options: { cwd: string; env: Record<string, string> }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const bash = spawn('bash', ['-euo', 'pipefail', '-c', script], { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    bash.stdout.on('data', (chunk) => (output += chunk));
    bash.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => process.kill(bash.pid!, 'SIGKILL'), 120_000);
    bash.once('error', reject);
    bash.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
