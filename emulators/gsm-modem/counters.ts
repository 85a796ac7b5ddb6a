/**
 * Data counters: bytes through the module's sockets, per socket and per access technology, as
 * payload (what crossed the AT interface) and as an estimate of the IP bytes an operator bills.
 *
 * IP estimate (IPv4 + TCP without options, 40 bytes a packet; segments of at most 1400 bytes):
 * - open: SYN (60) and ACK (40) sent, SYN-ACK (60) received;
 * - n bytes sent: n + 40 per segment sent, one 40-byte ACK per segment received;
 * - n bytes received: n + 40 per segment received, one ACK per segment sent;
 * - close: FIN and ACK (80) each way.
 * Retransmissions, TCP options, DNS and keep-alives are not counted.
 */
import type { RadioTechnology } from '../site/radio-coverage.ts';

/** Bytes one way and the other. */
export interface TrafficCount {
  payloadSent: number;
  payloadReceived: number;
  ipSent: number;
  ipReceived: number;
}

/** One socket's life and traffic. */
export interface SocketTraffic {
  /** Socket (link) id on the AT interface. */
  socketId: number;
  host: string;
  port: number;
  /** Technology the socket opened on. */
  technology: RadioTechnology;
  openedAt: number;
  closedAt?: number;
  count: TrafficCount;
}

const MSS = 1400;
const HEADER = 40;

const zero = (): TrafficCount => ({ payloadSent: 0, payloadReceived: 0, ipSent: 0, ipReceived: 0 });

function add(into: TrafficCount, d: Partial<TrafficCount>): void {
  into.payloadSent += d.payloadSent ?? 0;
  into.payloadReceived += d.payloadReceived ?? 0;
  into.ipSent += d.ipSent ?? 0;
  into.ipReceived += d.ipReceived ?? 0;
}

/** Counts the traffic of one modem, across restarts. */
export class DataCounters {
  /** Per technology the bytes flowed on (the technology at the moment they crossed the radio). */
  readonly perTechnology: Record<RadioTechnology, TrafficCount> = { gsm: zero(), lte: zero() };
  /** Every socket opened, oldest first. */
  readonly sockets: SocketTraffic[] = [];

  /** A socket connected. */
  opened(socketId: number, host: string, port: number, technology: RadioTechnology, at: number): SocketTraffic {
    const s: SocketTraffic = { socketId, host, port, technology, openedAt: at, count: zero() };
    this.sockets.push(s);
    this.record(s, technology, { ipSent: 100, ipReceived: 60 });
    return s;
  }

  /** `n` payload bytes left through the radio on `tech`. */
  sent(s: SocketTraffic, tech: RadioTechnology, n: number): void {
    const segs = Math.ceil(n / MSS);
    this.record(s, tech, { payloadSent: n, ipSent: n + HEADER * segs, ipReceived: HEADER * segs });
  }

  /** `n` payload bytes arrived through the radio on `tech`. */
  received(s: SocketTraffic, tech: RadioTechnology, n: number): void {
    const segs = Math.ceil(n / MSS);
    this.record(s, tech, { payloadReceived: n, ipReceived: n + HEADER * segs, ipSent: HEADER * segs });
  }

  /** A socket closed (the FIN exchange is counted when `graceful`). */
  closed(s: SocketTraffic, tech: RadioTechnology | undefined, at: number, graceful: boolean): void {
    if (s.closedAt !== undefined) return;
    s.closedAt = at;
    if (graceful && tech) this.record(s, tech, { ipSent: 2 * HEADER, ipReceived: 2 * HEADER });
  }

  /** All technologies together. */
  total(): TrafficCount {
    const t = zero();
    add(t, this.perTechnology.gsm);
    add(t, this.perTechnology.lte);
    return t;
  }

  /** IP bytes both ways, all technologies (what an operator's allowance counts). */
  billedBytes(): number {
    const t = this.total();
    return t.ipSent + t.ipReceived;
  }

  private record(s: SocketTraffic, tech: RadioTechnology, d: Partial<TrafficCount>): void {
    add(s.count, d);
    add(this.perTechnology[tech], d);
  }
}
