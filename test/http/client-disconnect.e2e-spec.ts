import { connect } from 'node:net';
import { LoopbackTestApp, startTestAppOnLoopback } from '../support/test-app';
import { until } from '../support/until';

/**
 * A client that goes away halfway through its body is the client's business: its socket's
 * ECONNRESET must not be taken for the database's (which would log an outage at error level and
 * page someone for nothing). Only errors from the database count as a database outage.
 */
describe('A client that disconnects mid-body', () => {
  let t: LoopbackTestApp;
  const lines: string[] = [];
  beforeAll(async () => {
    t = await startTestAppOnLoopback({ env: { LOG_LEVEL: 'info' }, logStream: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => t?.close());

  it('is logged as what it is, not as a database outage', async () => {
    const requestId = 'client-gone-mid-body';
    const socket = connect(t.http.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /api/v1/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2000\r\nX-Request-Id: ${requestId}\r\n\r\n{"email":"half`,
    );
    // While the server waits for the rest, the client resets its connection (RST, not a clean FIN).
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.resetAndDestroy();
    await until(() => lines.some((line) => line.includes(requestId) && /"res":|aborted/.test(line)));

    const ours = lines.filter((line) => line.includes(requestId) || line.includes('Database unavailable'));
    expect(ours.filter((line) => line.includes('Database unavailable'))).toEqual([]);
    expect(ours.filter((line) => JSON.parse(line).level >= 50)).toEqual([]);
    // The service still answers, and the database was never the matter.
    expect((await t.http.send({ path: '/health/ready' })).status).toBe(200);
  });
});
