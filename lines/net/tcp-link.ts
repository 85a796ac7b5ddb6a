import { connect, createServer, type Server, type Socket } from 'node:net';
import { CancelledError, HtHilError } from '../../core/errors.ts';
import type { ByteLink, LinkAcceptor, LinkDialer } from './link.ts';
import { LinkEvents } from './link-events.ts';

/** A `ByteLink` over a TCP socket (pty and rig modes, and a real terminal talking to the fake cloud). */
export class TcpLink implements ByteLink {
  private readonly events = new LinkEvents();

  constructor(
    readonly id: string,
    private readonly socket: Socket,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (b: Buffer) => this.events.receive(new Uint8Array(b)));
    socket.on('close', () => this.events.shut('connection closed'));
    socket.on('error', (err) => this.events.shut(`connection error: ${err.message}`));
  }

  get closed(): boolean {
    return this.events.closed;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.events.closed) return Promise.reject(new CancelledError(`${this.id}: link closed`));
    return new Promise((resolve, reject) => this.socket.write(bytes, (err) => (err ? reject(new HtHilError('E_LINK', `${this.id}: write failed: ${err.message}`)) : resolve())));
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    return this.events.onClose(listener);
  }

  close(reason = 'closed'): void {
    this.socket.end();
    this.events.shut(reason);
  }
}

export class TcpDialer implements LinkDialer {
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly id = `tcp:${host}:${port}`,
  ) {}

  dial(): Promise<ByteLink> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: this.host, port: this.port });
      socket.once('connect', () => resolve(new TcpLink(this.id, socket)));
      socket.once('error', (err) => reject(new HtHilError('E_LINK', `${this.id}: cannot connect: ${err.message}`)));
    });
  }
}

/** Listens on TCP and hands each connection to the acceptor as a link. */
export async function listenTcp(acceptor: LinkAcceptor, port = 0, host = '127.0.0.1'): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  let n = 0;
  const server = createServer((socket) => acceptor.accept(new TcpLink(`tcp:${socket.remoteAddress}:${socket.remotePort}#${++n}`, socket)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  return { server, port: bound, close: () => new Promise((r) => server.close(() => r())) };
}
