import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from '../support/server-process';

/** SIGTERM: stop accepting, finish what is in flight, close the database, exit 0. */
describe('graceful shutdown', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orders-shutdown-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('completes an in-flight request, then refuses new connections and exits 0', async () => {
    const server = await startServerProcess({ DATA_DIR: dataDir });
    const body = JSON.stringify({ q: 'x'.repeat(2000) });

    // A request whose body is still arriving when SIGTERM lands: it must still get its answer.
    const inFlight = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/api/v1/products',
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 100));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(100)), 300);
      }, 200);
    });

    expect(await inFlight).toBe(401);
    expect(await server.exited).toBe(0);
    const refused = await fetch(`http://127.0.0.1:${server.port}/health/live`).then(
      () => 'answered',
      () => 'refused',
    );
    expect(refused).toBe('refused');
  });
});
