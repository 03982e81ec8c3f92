import { Client, ClientConfig } from 'pg';

/** pg's message when no answer came within query_timeout. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * pg's Client, except that a query that got no answer within `query_timeout` closes its connection.
 * pg only stops waiting: the connection stays busy with the lost query, and the next one on it (the
 * transaction's ROLLBACK) queues behind it and waits out a timeout of its own, so a database that
 * black-holed packets held an order for twice the timeout. Closed, the ROLLBACK fails at once,
 * Postgres rolls the transaction back itself when it sees the connection drop, and the pool opens a
 * new connection. pg does the same in its pipeline mode, where a lost query blocks every later one.
 */
export class QueryTimeoutClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    this.query = ((...args: unknown[]) => {
      const result = query(...args);
      // TypeORM awaits the promise form; the caller still gets the rejection, this only reacts to it.
      if (result instanceof Promise) result.catch((error: unknown) => this.closeAfterTimeout(error));
      return result;
    }) as Client['query'];
  }

  private closeAfterTimeout(error: unknown): void {
    if (error instanceof Error && error.message === QUERY_READ_TIMEOUT) {
      (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    }
  }
}
