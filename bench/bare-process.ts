import { join } from 'node:path';
import { freePort } from '../test/support/server-process';
import { MonitoredProcess } from './monitored-process';

const ROOT = join(__dirname, '..');

/** The bare NestJS + Fastify app (bench/bare-app.ts), measured like the service: CPU, RSS, event loop. */
export async function startBareApp(nodeFlags: string[]): Promise<MonitoredProcess> {
  const port = await freePort();
  return MonitoredProcess.spawn({
    // ts-node only compiles bench/bare-app.ts at boot; the measured requests run plain JavaScript.
    args: [...nodeFlags, '-r', 'ts-node/register/transpile-only', join(ROOT, 'bench/bare-app.ts')],
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', PORT: String(port) },
    port,
    readyPath: '/hello',
  });
}
