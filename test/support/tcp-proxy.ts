import { createConnection, createServer, Server, Socket } from 'node:net';
import { freePort } from './server-process';

/**
 * A loopback TCP proxy the test controls, put between the service and a server it depends on
 * (Postgres, Redis): `cut()` is the network failing (every open connection dropped, new ones refused),
 * `restore()` is it coming back on the same port, `blackHole()` is a network that silently drops
 * every packet. The real server is never touched.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private holding = false;

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(await freePort(), target);
    await proxy.restore();
    return proxy;
  }

  /** Listens (again) on the same port and forwards every connection to the target. */
  async restore(): Promise<void> {
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** Drops every open connection at once and stops accepting: a connection attempt is refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.holding = false;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * From now on nothing is forwarded either way and nothing is closed: open connections stay open
   * and silent, new ones are accepted and never answered. Only `cut()` ends it.
   */
  blackHole(): void {
    this.holding = true;
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  private forward(client: Socket): void {
    if (this.holding) return this.hold(client);
    const upstream = createConnection(this.target);
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(socket);
      socket.pipe(peer);
      // One side failing or closing takes the other down with it, as a broken network path would.
      socket.on('error', () => peer.destroy());
      socket.on('close', () => {
        this.sockets.delete(socket);
        peer.destroy();
      });
    }
  }

  private hold(client: Socket): void {
    this.sockets.add(client);
    client.pause();
    client.on('error', () => client.destroy());
    client.on('close', () => this.sockets.delete(client));
  }
}
