/**
 * A socket of the module, bridged to a `ByteLink` from the modem's dialer: the host and port the
 * DTE asked for are recorded, the dialer decides where the link goes. Bytes cross the radio only
 * while the module has service; meanwhile sends wait and received bytes are held, as TCP would
 * retransmit across a short outage. The dialect (SIMCom or Quectel) turns the listener's events
 * into its URCs.
 *
 * Dials and writes are not registered with the clock (`track`): on a virtual clock they are
 * in-memory links that themselves wait on the clock; real sockets run on the real clock.
 */
import type { Clock } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import type { ByteLink, LinkDialer } from '../../lines/net/link.ts';
import type { RadioTechnology } from '../site/radio-coverage.ts';
import type { DataCounters, SocketTraffic } from './counters.ts';
import type { NetworkModel } from './network.ts';

/** Where a socket is. */
export type SocketState = 'connecting' | 'connected' | 'remote-closed' | 'closed';

/** What a socket needs from the modem. */
export interface SocketHost {
  readonly clock: Clock;
  readonly counters: DataCounters;
  readonly network: NetworkModel;
  dialer(tech: RadioTechnology): LinkDialer;
  /** The technology data flows on now; undefined while out of service. */
  dataTechnology(): RadioTechnology | undefined;
  /** Resolves true when service returns, false when the PDP context is gone meanwhile. */
  waitRadio(): Promise<boolean>;
  /** False once the module run that owns the socket has ended. */
  alive(): boolean;
  /** Counts received bytes against the SIM's allowance. */
  noteTraffic(): void;
}

/** What the dialect hears from a socket. */
export interface SocketListener {
  connected(s: ModemSocket): void;
  failed(s: ModemSocket, reason: string): void;
  /** New bytes were added to `s.rx`. */
  data(s: ModemSocket, bytes: Uint8Array): void;
  remoteClosed(s: ModemSocket, reason: string): void;
}

/** One socket. */
export class ModemSocket {
  state: SocketState = 'connecting';
  link: ByteLink | undefined;
  traffic: SocketTraffic | undefined;
  /** Technology the socket opened on. */
  technology: RadioTechnology | undefined;
  /** Received bytes not yet read by the DTE. */
  readonly rx: Uint8Array[] = [];
  rxTotal = 0;
  rxRead = 0;
  txTotal = 0;
  txAcked = 0;
  /** The DTE was told that data waits, and has not emptied the buffer since. */
  notified = false;
  private held: Uint8Array[] = [];
  private flushing = false;

  constructor(
    readonly id: number,
    readonly protocol: 'TCP' | 'UDP',
    readonly host: string,
    readonly port: number,
    readonly contextId: number,
    /** Quectel access mode: 0 buffer, 1 direct push. SIMCom: 0. */
    readonly accessMode: number,
    private readonly env: SocketHost,
    private readonly listener: SocketListener,
  ) {}

  /** Bytes waiting to be read. */
  get unread(): number {
    return this.rxTotal - this.rxRead;
  }

  /** Dials; reports `connected` or `failed` to the listener. */
  async open(failure?: string): Promise<void> {
    const tech = this.env.dataTechnology();
    if (failure !== undefined || tech === undefined) {
      this.state = 'closed';
      this.listener.failed(this, failure ?? 'no service');
      return;
    }
    let link: ByteLink;
    try {
      link = await this.env.dialer(tech).dial();
    } catch (e) {
      if (this.state !== 'connecting') return;
      this.state = 'closed';
      if (this.env.alive()) this.listener.failed(this, errorMessage(e));
      return;
    }
    if (this.state !== 'connecting' || !this.env.alive()) {
      link.close('closed before connected');
      return;
    }
    this.link = link;
    this.technology = tech;
    this.state = 'connected';
    this.traffic = this.env.counters.opened(this.id, this.host, this.port, tech, this.env.clock.now());
    link.onData((b) => this.inbound(b));
    link.onClose((reason) => this.peerClosed(reason));
    this.listener.connected(this);
  }

  /** Sends bytes; 'sent' once they are handed to the network, 'failed' when the socket or the context is gone. */
  async send(bytes: Uint8Array): Promise<'sent' | 'failed'> {
    if (this.state !== 'connected' || !this.link) return 'failed';
    let tech = this.env.dataTechnology();
    if (tech === undefined) {
      if (!(await this.env.waitRadio())) return 'failed';
      tech = this.env.dataTechnology();
    }
    if (tech === undefined || this.state !== 'connected' || !this.link) return 'failed';
    this.env.counters.sent(this.traffic!, tech, bytes.length);
    this.env.noteTraffic();
    this.txTotal += bytes.length;
    const n = bytes.length;
    this.env.clock.setTimer(this.env.network.ackDelayMs(tech), () => (this.txAcked += n), `socket ${this.id}: peer ACK`);
    try {
      await this.link.write(bytes);
      return 'sent';
    } catch {
      return 'failed';
    }
  }

  /** Takes up to `max` unread bytes. */
  read(max: number): Uint8Array {
    const out = new Uint8Array(Math.min(max, this.unread));
    let k = 0;
    while (k < out.length) {
      const head = this.rx[0]!;
      const take = Math.min(head.length, out.length - k);
      out.set(head.subarray(0, take), k);
      k += take;
      if (take === head.length) this.rx.shift();
      else this.rx[0] = head.subarray(take);
    }
    this.rxRead += out.length;
    if (this.unread === 0) this.notified = false;
    return out;
  }

  /** The DTE closes the socket (the peer sees a close). */
  close(reason = 'closed by the terminal'): void {
    if (this.state === 'closed') return;
    const graceful = this.state === 'connected';
    this.state = 'closed';
    this.link?.close(reason);
    if (this.traffic) this.env.counters.closed(this.traffic, this.env.dataTechnology(), this.env.clock.now(), graceful);
  }

  /** The network tears the socket down (PDP lost, module restart): the peer sees the link close; no FIN is counted. */
  drop(reason: string): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.link?.close(reason);
    if (this.traffic) this.env.counters.closed(this.traffic, undefined, this.env.clock.now(), false);
  }

  /** The network closes the connection (a fault): the peer sees a close, the DTE a remote close. */
  closedByNetwork(reason: string): void {
    if (this.state !== 'connected') return;
    this.state = 'remote-closed';
    this.link?.close(reason);
    if (this.traffic) this.env.counters.closed(this.traffic, this.env.dataTechnology(), this.env.clock.now(), true);
    this.listener.remoteClosed(this, reason);
  }

  private inbound(bytes: Uint8Array): void {
    if (this.state === 'closed' || !this.env.alive()) return;
    this.held.push(bytes);
    void this.flushHeld();
  }

  private async flushHeld(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.held.length > 0) {
        let tech = this.env.dataTechnology();
        if (tech === undefined) {
          if (!(await this.env.waitRadio())) {
            this.held = [];
            return;
          }
          tech = this.env.dataTechnology();
          if (tech === undefined) continue;
        }
        if (this.state === 'closed') return;
        const b = this.held.shift()!;
        this.env.counters.received(this.traffic!, tech, b.length);
        this.env.noteTraffic();
        this.rx.push(b);
        this.rxTotal += b.length;
        this.listener.data(this, b);
      }
    } finally {
      this.flushing = false;
    }
  }

  private peerClosed(reason: string): void {
    if (this.state === 'closed' || this.state === 'remote-closed') return;
    // Bytes that arrived before the close are delivered first.
    const report = () => {
      if (this.state !== 'connected' || !this.env.alive()) return;
      this.state = 'remote-closed';
      if (this.traffic) this.env.counters.closed(this.traffic, this.env.dataTechnology(), this.env.clock.now(), true);
      this.listener.remoteClosed(this, reason);
    };
    if (this.held.length === 0 && !this.flushing) report();
    else void this.waitFlushed().then(report);
  }

  private async waitFlushed(): Promise<void> {
    while (this.held.length > 0 || this.flushing) await this.env.clock.sleep(10);
  }
}
