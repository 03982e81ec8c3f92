import { Agent, request } from 'node:http';
import { expectDocumented } from './openapi-contract';

export interface HttpRequest {
  method?: string;
  path: string;
  /** An access token, sent as `Authorization: Bearer`. */
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, for bodies JSON.stringify cannot make (duplicate keys, a BOM); `content-type` defaults to JSON. */
  payload?: string | Buffer;
  /** An array sends the header once per value. */
  headers?: Record<string, string | string[]>;
  /** The client gives up (and destroys the socket) after this long; default 10 s. */
  timeoutMs?: number;
  /**
   * The loopback source address to send from (e.g. `127.0.0.7`): every 127.0.0.0/8 address is this
   * machine, so a test can stand for many clients. Such a request gets a socket of its own.
   */
  from?: string;
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/**
 * A small HTTP/1.1 client for a service running in another process (see server-process.ts), on
 * keep-alive connections of its own: at most `connections` sockets, so a load test knows exactly
 * how many connections it holds open. A request that gets no answer rejects with the socket
 * error (`ECONNREFUSED`, `ECONNRESET`, …) or `ETIMEDOUT`; it never hangs. An answer that is not as
 * openapi.json documents it rejects too, naming what differs.
 */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    readonly port: number,
    { connections = 10 }: { connections?: number } = {},
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  send({
    method = 'GET',
    path,
    token,
    body,
    payload = body === undefined ? undefined : JSON.stringify(body),
    headers = {},
    timeoutMs = 10_000,
    from,
  }: HttpRequest): Promise<HttpReply> {
    const allHeaders: Record<string, string | string[]> = {
      ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    };
    return new Promise((resolve, reject) => {
      const connection = from === undefined ? { agent: this.agent } : { localAddress: from, agent: false as const };
      const req = request({ host: '127.0.0.1', port: this.port, method, path, headers: allHeaders, ...connection }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', reject);
        res.on('end', () => {
          const reply = { status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) };
          // Every answer is checked against openapi.json, as the in-process suites' are (test-app.ts).
          try {
            expectDocumented(method, path, { statusCode: reply.status, headers: reply.headers, body: text });
          } catch (error) {
            return reject(error);
          }
          resolve(reply);
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Closes the kept-alive sockets, so the test leaves nothing open behind it. */
  close(): void {
    this.agent.destroy();
  }
}

/** The error code of a request that got no answer (e.g. `ECONNREFUSED`), for tallies and assertions. */
export function socketErrorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? String(error);
}
