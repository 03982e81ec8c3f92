import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  output: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

export interface EndedProcess {
  code: number | null;
  output: string;
  elapsedMs: number;
}

/** A free loopback port, found by letting the OS pick one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Runs the built service (`dist/main.js`, as `npm start` does) as a child process on loopback and
 * waits until it listens. The caller stops it by its pid; one that does not listen within 30 s is
 * killed here.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const server = spawnService(env, port);
  await new Promise<void>((resolve, reject) => {
    // One that never listens is stopped by its pid: nobody else holds it to stop it later.
    const timer = setTimeout(() => {
      server.child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${server.output()}`));
    }, 30_000);
    const check = () => {
      if (server.output().includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    server.child.stdout!.on('data', check);
    void server.exited.then((code) => reject(new Error(`server exited with ${code}:\n${server.output()}`)));
  });
  return server;
}

/**
 * Runs the built service when it is expected to stop by itself (a refused boot) and reports how it
 * ended. One still running after `timeoutMs` is killed (by its pid) and fails the test.
 */
export async function runServerProcessToExit(env: Record<string, string>, timeoutMs: number): Promise<EndedProcess> {
  const started = performance.now();
  const server = spawnService(env, await freePort());
  let stillRunning = false;
  const timer = setTimeout(() => {
    stillRunning = true;
    server.child.kill('SIGKILL');
  }, timeoutMs);
  const code = await server.exited;
  clearTimeout(timer);
  if (stillRunning) throw new Error(`server still running after ${timeoutMs} ms:\n${server.output()}`);
  return { code, output: server.output(), elapsedMs: performance.now() - started };
}

function spawnService(env: Record<string, string>, port: number): ServerProcess {
  const child = spawn(process.execPath, [join(__dirname, '../../dist/main.js')], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, output: () => output, exited };
}
