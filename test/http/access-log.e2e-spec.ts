import { LoopbackTestApp, startTestAppOnLoopback } from '../support/test-app';

/**
 * docs/http-contract.md, Operations: one JSON access-log line per request, with the fields an operator filters on
 * (the request's id, method, path without its query, peer address; the status; the time taken), as
 * access-log.ts writes them: no logger serializer may rewrite or drop them.
 */
describe('The access log', () => {
  const lines: string[] = [];
  let t: LoopbackTestApp;

  beforeAll(async () => {
    t = await startTestAppOnLoopback({ env: { LOG_LEVEL: 'info' }, logStream: { write: (line: string) => void lines.push(line) } });
  });
  afterAll(() => t.close());

  it.each([
    ['/api/v1/products?limit=1', 200, '/api/v1/products'],
    ['/api/v1/no-such-route', 404, '/api/v1/no-such-route'],
  ])('logs GET %s as its status %d, on its path without the query', async (path, status, loggedPath) => {
    const reply = await t.http.send({ path });
    expect(reply.status).toBe(status);
    const id = String(reply.headers['x-request-id']);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => (entry.req as { id?: string })?.id === id);
    expect(entries).toEqual([
      expect.objectContaining({
        msg: 'request completed',
        req: { id, method: 'GET', path: loggedPath, remoteAddress: '127.0.0.1' },
        res: { statusCode: status },
        responseTime: expect.any(Number),
      }),
    ]);
  });
});
