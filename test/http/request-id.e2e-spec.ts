import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { uniqueEmail } from '../support/auth';
import { HttpReply } from '../support/http-client';
import { LoopbackTestApp, startTestAppOnLoopback } from '../support/test-app';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface LogEntry {
  msg?: string;
  req?: { id?: string };
  clientRequestId?: string;
}

/**
 * The request id is the server's own: it ties a response, its log lines and its audit events
 * together, so a client must not choose it (it could name another user's request in the audit
 * trail). A client's own X-Request-Id, when well-formed, is logged beside it as `clientRequestId`.
 * Over real HTTP.
 */
describe('X-Request-Id from a client', () => {
  const lines: string[] = [];
  let t: LoopbackTestApp;

  beforeAll(async () => {
    t = await startTestAppOnLoopback({ env: { LOG_LEVEL: 'info' }, logStream: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => t.close());

  /** A sign-up, and the address it signed up (the 202 names no user: the audit events are found by the address). */
  const register = async (headers: Record<string, string> = {}): Promise<HttpReply & { email: string }> => {
    const email = uniqueEmail();
    const reply = await t.http.send({
      method: 'POST',
      path: '/api/v1/auth/register',
      body: { email, password: `pw-${randomUUID()}`, name: 'Traced' },
      headers,
    });
    return Object.assign(reply, { email });
  };
  const idOf = (reply: HttpReply) => String(reply.headers['x-request-id']);
  const auditRequestIds = async (email: string): Promise<string[]> =>
    (
      await t.app
        .get(DataSource)
        .query<Array<{ request_id: string }>>('SELECT request_id FROM audit_events WHERE target_id = (SELECT id::text FROM users WHERE email = $1)', [email])
    ).map((row) => row.request_id);
  const completed = (serverId: string) =>
    lines.map((line) => JSON.parse(line) as LogEntry).filter((entry) => entry.msg === 'request completed' && entry.req?.id === serverId);

  it('answers with an id of its own, and audits under it', async () => {
    const response = await register();
    expect(response.status).toBe(202);
    expect(idOf(response)).toMatch(UUID_V4);
    expect(await auditRequestIds(response.email)).toEqual([idOf(response)]);
  });

  it('never takes a client’s id as its own: another request’s id is neither echoed nor audited', async () => {
    const alices = await register();
    const mallorys = await register({ 'x-request-id': idOf(alices) });
    expect(mallorys.status).toBe(202);
    expect(idOf(mallorys)).toMatch(UUID_V4);
    expect(idOf(mallorys)).not.toBe(idOf(alices));
    expect(await auditRequestIds(mallorys.email)).toEqual([idOf(mallorys)]);
    const sharing = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM audit_events WHERE request_id = $1', [idOf(alices)]);
    expect(sharing).toEqual([{ n: 1 }]);
  });

  it('logs a well-formed client id apart, beside its own', async () => {
    const response = await register({ 'x-request-id': 'client-trace.42:a_b' });
    expect(idOf(response)).not.toBe('client-trace.42:a_b');
    expect(completed(idOf(response))).toEqual([expect.objectContaining({ clientRequestId: 'client-trace.42:a_b' })]);
  });

  it.each(['has spaces', 'x'.repeat(129), '<script>', '","level":60,"msg":"forged'])('drops a malformed one (%s): not logged at all', async (incoming) => {
    const response = await t.http.send({ path: '/health/live', headers: { 'x-request-id': incoming } });
    expect(response.status).toBe(200);
    expect(idOf(response)).toMatch(UUID_V4);
    const [entry] = completed(idOf(response));
    expect(entry).toBeDefined();
    expect(entry).not.toHaveProperty('clientRequestId');
    expect(lines.join('\n')).not.toContain(incoming);
  });
});
