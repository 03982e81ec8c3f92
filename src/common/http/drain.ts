import { Injectable } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Server } from 'node:net';

/** Whether the service is shutting down: readiness then answers 503, every answer `Connection: close`. */
@Injectable()
export class Drain {
  private started = false;

  get draining(): boolean {
    return this.started;
  }

  begin(): void {
    this.started = true;
  }
}

/**
 * Graceful shutdown (SIGTERM) without resetting a single request:
 * 1. Draining begins: readiness answers 503, so a load balancer sends nothing more, and every
 *    answer carries `Connection: close`, so the client of each open connection learns with its
 *    next answer that it must not send another request on it.
 * 2. The listening socket is closed: new connections are refused, open ones are left alone.
 *    Node's `http.Server.close()` would also close every idle kept-alive connection at once, and a
 *    client may be sending its next request on one at that very moment: it gets a reset and cannot
 *    know whether that request (an order) was carried out. So only net.Server's close is called,
 *    and an idle connection ends by its keep-alive timeout, which Node announces to the client in
 *    every answer (`Keep-Alive: timeout=5`): past it, no request can be on its way.
 * 3. Once every connection has ended, the app closes (Fastify, then the database).
 */
export async function drainAndClose(app: NestFastifyApplication): Promise<void> {
  app.get(Drain).begin();
  const server = app.getHttpServer() as Server;
  await new Promise<void>((resolve) => Server.prototype.close.call(server, () => resolve()));
  await app.close();
}
