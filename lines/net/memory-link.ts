import type { Clock } from '../../core/clock/index.ts';
import { CancelledError, HtHilError } from '../../core/errors.ts';
import type { ByteLink, LinkAcceptor, LinkDialer } from './link.ts';
import { LinkEvents } from './link-events.ts';

export interface PathModel {
  /** One-way latency (ms). */
  latencyMs: number;
  /** Throughput (bytes per second); unlimited when absent. */
  bytesPerSecond?: number;
}

class MemoryEnd implements ByteLink {
  peer!: MemoryEnd;
  private readonly events = new LinkEvents();
  private busyUntil = 0;

  constructor(
    readonly id: string,
    private readonly clock: Clock,
    private readonly path: PathModel,
  ) {}

  get closed(): boolean {
    return this.events.closed;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.events.closed) return Promise.reject(new CancelledError(`${this.id}: link closed`));
    const copy = Uint8Array.from(bytes);
    const now = this.clock.now();
    const start = Math.max(now, this.busyUntil);
    const sendTime = this.path.bytesPerSecond ? (copy.length * 1000) / this.path.bytesPerSecond : 0;
    this.busyUntil = start + sendTime;
    const arrive = this.busyUntil + this.path.latencyMs;
    const peer = this.peer;
    this.clock.setTimer(arrive - now, () => peer.receive(copy), `${this.id}: bytes arrive`);
    return this.clock.sleep(this.busyUntil - now);
  }

  onData(listener: (b: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    return this.events.onClose(listener);
  }

  close(reason = 'closed by peer'): void {
    if (!this.events.shut(reason)) return;
    const peer = this.peer;
    // The peer learns of the close after the bytes already sent have arrived.
    const at = Math.max(this.clock.now(), this.busyUntil) + this.path.latencyMs;
    this.clock.setTimer(at - this.clock.now(), () => peer.events.shut(reason), `${this.id}: close reaches peer`);
  }

  /** The network drops the link: both ends see it at once, bytes in flight are lost. */
  drop(reason: string): void {
    this.events.shut(reason);
    this.peer.events.shut(reason);
  }

  private receive(bytes: Uint8Array): void {
    this.events.receive(bytes);
  }
}

/** Two connected in-memory link ends on a clock, with latency and throughput. */
export function memoryLinkPair(clock: Clock, id: string, path: PathModel = { latencyMs: 20 }): { client: ByteLink & { drop(reason: string): void }; server: ByteLink & { drop(reason: string): void } } {
  const client = new MemoryEnd(`${id}/client`, clock, path);
  const server = new MemoryEnd(`${id}/server`, clock, path);
  client.peer = server;
  server.peer = client;
  return { client, server };
}

/**
 * A dialer for virtual mode: each dial makes an in-memory pair and hands the server end to the
 * acceptor after one latency. `reachable` models the network: when it returns a reason, the dial
 * fails with it (no route, refused).
 */
export class MemoryDialer implements LinkDialer {
  private count = 0;
  constructor(
    private readonly clock: Clock,
    private readonly acceptor: LinkAcceptor,
    private readonly id: string,
    private readonly path: PathModel = { latencyMs: 20 },
    private readonly reachable: () => string | undefined = () => undefined,
  ) {}

  async dial(): Promise<ByteLink> {
    await this.clock.sleep(this.path.latencyMs * 2); // SYN, SYN-ACK
    const why = this.reachable();
    if (why) throw new HtHilError('E_LINK', `${this.id}: cannot connect: ${why}`);
    const { client, server } = memoryLinkPair(this.clock, `${this.id}#${++this.count}`, this.path);
    this.acceptor.accept(server);
    return client;
  }
}
