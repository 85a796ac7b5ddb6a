/**
 * The mobile network behind the radio: which operator the module registers on, whether it is
 * home, roaming or refused, which APNs it accepts, the cell identities it reports, the data paths
 * per access technology, and how long a PDP context survives lost coverage.
 *
 * Data paths (a `MemoryDialer` per technology in virtual mode): GSM/GPRS about 40 kbit/s with
 * about 600 ms round trip, LTE about 5 Mbit/s with about 60 ms. In real mode pass a `TcpDialer`.
 */
import type { Clock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import type { LinkAcceptor, LinkDialer } from '../../lines/net/link.ts';
import { MemoryDialer, type PathModel } from '../../lines/net/memory-link.ts';
import type { RadioTechnology } from '../site/radio-coverage.ts';

/** A network operator as `AT+COPS` names it. */
export interface Operator {
  long: string;
  short: string;
  /** MCC and MNC, e.g. `28601`. */
  numeric: string;
}

/** The Turkish operators (MCC 286). */
export const OPERATORS = {
  turkcell: { long: 'TURKCELL', short: 'TURKCELL', numeric: '28601' },
  vodafone: { long: 'Vodafone TR', short: 'VF TR', numeric: '28602' },
  turkTelekom: { long: 'TR TURKTELEKOM', short: 'TT', numeric: '28603' },
} as const satisfies Record<string, Operator>;

/** Default data paths per technology. */
export const DEFAULT_PATHS: Readonly<Record<RadioTechnology, PathModel>> = {
  gsm: { latencyMs: 300, bytesPerSecond: 5_000 },
  lte: { latencyMs: 30, bytesPerSecond: 625_000 },
};

/** Options of the network model. */
export interface NetworkOptions {
  /** The operator the module registers on (default Turkcell). */
  operator?: Operator;
  /** Registered as roaming (`<stat>` 5) rather than home (1). */
  roaming?: boolean;
  /** Registration refused (`<stat>` 3), e.g. a barred SIM. */
  denied?: boolean;
  /** APNs the network accepts (case-insensitive); any when absent. */
  apns?: readonly string[];
  /** LAC and cell id on GSM, TAC and cell id on LTE (hex). */
  gsmCell?: { lac: string; ci: string; arfcn?: number; band?: string };
  lteCell?: { tac: string; ci: string; earfcn?: number; band?: string };
  /** Data paths (for the ACK delay of `SEND OK`); default `DEFAULT_PATHS`. */
  paths?: Partial<Record<RadioTechnology, PathModel>>;
  /** How long an active PDP context survives lost registration before the network drops it (default 15 s). */
  pdpHoldMs?: number;
  /** Addresses handed out to PDP contexts: `10.<a>.<b>.<n>` (default `10.64.12`). */
  addressPrefix?: string;
  /** Minutes east of UTC of network time (`AT+CCLK?`, default 180 for Turkey). */
  utcOffsetMin?: number;
}

/** The network model, with defaults filled in. */
export class NetworkModel {
  operator: Operator;
  roaming: boolean;
  denied: boolean;
  apns: readonly string[] | undefined;
  readonly gsmCell: { lac: string; ci: string; arfcn: number; band: string };
  readonly lteCell: { tac: string; ci: string; earfcn: number; band: string };
  readonly paths: Record<RadioTechnology, PathModel>;
  readonly pdpHoldMs: number;
  readonly utcOffsetMin: number;
  private readonly prefix: string;
  private nextHost = 17;

  constructor(o: NetworkOptions = {}) {
    this.operator = o.operator ?? OPERATORS.turkcell;
    if (!/^\d{5,6}$/.test(this.operator.numeric)) throw new InputError('network', `operator numeric ${this.operator.numeric} must be MCC+MNC (5 or 6 digits)`);
    this.roaming = o.roaming ?? false;
    this.denied = o.denied ?? false;
    this.apns = o.apns;
    this.gsmCell = { lac: 'A51C', ci: '3F2B', arfcn: 62, band: 'GSM 900', ...o.gsmCell };
    this.lteCell = { tac: '5A1E', ci: '0B2C4D01', earfcn: 1650, band: 'LTE BAND 3', ...o.lteCell };
    this.paths = { ...DEFAULT_PATHS, ...o.paths };
    this.pdpHoldMs = o.pdpHoldMs ?? 15_000;
    this.utcOffsetMin = o.utcOffsetMin ?? 180;
    this.prefix = o.addressPrefix ?? '10.64.12';
    if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(this.prefix)) throw new InputError('network', `addressPrefix ${this.prefix} must be three dotted numbers`);
  }

  /** True when the network accepts `apn`. */
  acceptsApn(apn: string): boolean {
    return this.apns === undefined || this.apns.some((a) => a.toLowerCase() === apn.toLowerCase());
  }

  /** A fresh address for a PDP context. */
  allocateAddress(): string {
    const host = this.nextHost;
    this.nextHost = this.nextHost >= 250 ? 17 : this.nextHost + 1;
    return `${this.prefix}.${host}`;
  }

  /** Time from a send to the peer's acknowledgement on `tech` (one round trip). */
  ackDelayMs(tech: RadioTechnology): number {
    return 2 * this.paths[tech].latencyMs;
  }
}

/** Picks the dialer for the technology a socket opens on. */
export type TechnologyDialers = (tech: RadioTechnology) => LinkDialer;

/**
 * Virtual-mode dialers to `acceptor` (the cloud's uplink listener), one `MemoryDialer` per
 * technology with its path model. `reachable` may refuse dials (the cloud is down).
 */
export function cellularDialers(
  clock: Clock,
  acceptor: LinkAcceptor,
  id: string,
  paths: Partial<Record<RadioTechnology, PathModel>> = {},
  reachable?: () => string | undefined,
): TechnologyDialers {
  const all = { ...DEFAULT_PATHS, ...paths };
  const dialers: Record<RadioTechnology, LinkDialer> = {
    gsm: new MemoryDialer(clock, acceptor, `${id}/gsm`, all.gsm, reachable),
    lte: new MemoryDialer(clock, acceptor, `${id}/lte`, all.lte, reachable),
  };
  return (tech) => dialers[tech];
}
