/**
 * Faults of the cellular module, its SIM and the network, switched on at run time. Faults
 * stack (the newest of a kind acts) and wear off: at clock time `until` (or `forMs` from now), or
 * after `count` events they acted on. State faults (coverage, SIM, registration, signal) wear off
 * only by time; event faults (a send, a dial, a command line, a start-up) also by count. A hang
 * lasts until the module is power-cycled.
 */
import type { RadioTechnology } from '../site/radio-coverage.ts';

/** Every fault the modem knows. */
export type ModemFault =
  /** The SIM is pulled out: `+CPIN: NOT READY`, no registration; put back when the fault ends. */
  | { kind: 'sim-removed' }
  /** The SIM's PIN lock is on: after the next start-up (or SIM insertion) the SIM asks for its PIN. Counts start-ups. */
  | { kind: 'pin-enabled' }
  /** No cell of `technology` (both when absent) reaches the module. */
  | { kind: 'no-coverage'; technology?: RadioTechnology }
  /** The signal is `lossDb` weaker (default 20 dB): lower CSQ, and no service below the threshold. */
  | { kind: 'weak-signal'; lossDb?: number }
  /** The network refuses registration (`<stat>` 3). */
  | { kind: 'registration-denied' }
  /** The next sends lose the PDP context: `SEND FAIL`, then the PDP deactivation URC. Counts sends. */
  | { kind: 'pdp-drop-on-send' }
  /** The network closes the socket on the next sends, after the data left. Counts sends. */
  | { kind: 'socket-closed-on-send' }
  /** Connection attempts fail (`CONNECT FAIL`, `+QIOPEN: <id>,566`). Counts attempts. */
  | { kind: 'connect-fail' }
  /** PDP context activation fails (`AT+CIICR`/`AT+QIACT` ERROR). Counts attempts. */
  | { kind: 'pdp-activation-fail' }
  /** The module stops answering anything (and emits nothing) until power-cycled. */
  | { kind: 'hang' }
  /** Every answer takes `factor` times its latency. Counts command lines. */
  | { kind: 'slow-answers'; factor: number };

export type ModemFaultKind = ModemFault['kind'];

/** When a fault wears off. */
export interface ModemFaultOptions {
  /** Events it acts on before it wears off (event faults only). */
  count?: number;
  /** Clock time at which it wears off. */
  until?: number;
  /** Duration from now after which it wears off (sets `until`). */
  forMs?: number;
}

/** A fault switched on; `remove()` ends it early. */
export interface ActiveModemFault {
  readonly fault: ModemFault;
  remaining?: number;
  readonly until?: number;
  remove(): void;
}

type Of<K extends ModemFaultKind> = Extract<ModemFault, { kind: K }>;

/** The stacked faults of one modem. `onChange` is called whenever one starts or ends. */
export class ModemFaultSet {
  private readonly active: ActiveModemFault[] = [];

  constructor(private readonly onChange: () => void = () => {}) {}

  /** Adds a fault in front of the others (`forMs` is counted from `now`). */
  add(fault: ModemFault, options: ModemFaultOptions, now: number): ActiveModemFault {
    const until = options.until ?? (options.forMs !== undefined ? now + options.forMs : undefined);
    const entry: ActiveModemFault = {
      fault,
      ...(options.count !== undefined ? { remaining: options.count } : {}),
      ...(until !== undefined ? { until } : {}),
      remove: () => {
        const i = this.active.indexOf(entry);
        if (i < 0) return;
        this.active.splice(i, 1);
        this.onChange();
      },
    };
    this.active.unshift(entry);
    this.onChange();
    return entry;
  }

  /** The newest live fault of a kind (that `applies`), without using it up. */
  peek<K extends ModemFaultKind>(kind: K, now: number, applies: (f: Of<K>) => boolean = () => true): Of<K> | undefined {
    this.expire(now);
    return this.active.find((a) => a.fault.kind === kind && applies(a.fault as Of<K>))?.fault as Of<K> | undefined;
  }

  /** Like `peek`, counting one use (a counted fault wears off when its count is spent). */
  take<K extends ModemFaultKind>(kind: K, now: number): Of<K> | undefined {
    this.expire(now);
    const a = this.active.find((x) => x.fault.kind === kind);
    if (!a) return undefined;
    if (a.remaining !== undefined && --a.remaining <= 0) a.remove();
    return a.fault as Of<K>;
  }

  /** Removes every fault of a kind (a hang at a power cycle). */
  clearKind(kind: ModemFaultKind): void {
    const gone = this.active.filter((a) => a.fault.kind === kind);
    for (const a of gone) a.remove();
  }

  /** Live faults, newest first. */
  list(now: number): readonly ActiveModemFault[] {
    this.expire(now);
    return [...this.active];
  }

  /** The earliest `until` after `now` (Infinity: none). */
  nextExpiry(now: number): number {
    let next = Infinity;
    for (const a of this.active) if (a.until !== undefined && a.until > now) next = Math.min(next, a.until);
    return next;
  }

  private expire(now: number): void {
    for (const a of [...this.active]) if (a.until !== undefined && now >= a.until) a.remove();
  }
}
