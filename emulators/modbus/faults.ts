/**
 * Faults an emulated Modbus device can show, switched on and off at run time. Faults stack: the
 * newest fault of a kind is the one that acts. Each wears off after `count` exchanges it affected
 * or at clock time `until`, and may act only on a share of exchanges (`probability`, drawn from a
 * PRNG seeded per device so runs repeat), so a scenario can say "the next two requests go
 * unanswered", "for ten minutes the relay answers late" or "one answer in ten has a bad CRC".
 */

/** Every fault kind the slave engine knows. */
export type ModbusFault =
  /** Requests are received (and logged) but neither executed nor answered. */
  | { kind: 'no-answer' }
  /** The answer leaves `delayMs` after the request instead of the profile's latency. */
  | { kind: 'late-answer'; delayMs: number }
  /** The answer's CRC is wrong (its last byte inverted). */
  | { kind: 'crc-error' }
  /**
   * The answer stops after `atByte` bytes (default: half) and the rest follows after `gapMs` of
   * silence (default: twice the line's 3.5-character gap), so a master sees two broken frames.
   */
  | { kind: 'split-response'; atByte?: number; gapMs?: number }
  /** Requests (of function `fn`, or all) are answered with exception `code`, not executed. */
  | { kind: 'exception'; code: number; fn?: number }
  /** The device is off the line: it hears nothing, executes nothing, answers nothing. */
  | { kind: 'silent' }
  /** After a firmware update, every multi-word value is sent (and written) with its words swapped. */
  | { kind: 'swapped-words' };

export type ModbusFaultKind = ModbusFault['kind'];

export interface FaultOptions {
  /** Exchanges it acts on before it wears off. */
  count?: number;
  /** Clock time at which it wears off. */
  until?: number;
  /** Share of exchanges it acts on, 0..1 (default 1). */
  probability?: number;
}

export interface ActiveFault {
  readonly fault: ModbusFault;
  /** Exchanges left (undefined: until removed or `until`). */
  remaining?: number;
  readonly until?: number;
  readonly probability?: number;
  remove(): void;
}

type Of<K extends ModbusFaultKind> = Extract<ModbusFault, { kind: K }>;

export class ModbusFaultSet {
  private readonly active: ActiveFault[] = [];
  private rng: number;

  /** `seed` makes `probability` draws repeatable (the device's serial or address). */
  constructor(seed = 1) {
    this.rng = seed >>> 0 || 1;
  }

  /** Adds a fault in front of the others; returns a handle to remove it early. */
  add(fault: ModbusFault, options: FaultOptions = {}): ActiveFault {
    const entry: ActiveFault = {
      fault,
      ...(options.count !== undefined ? { remaining: options.count } : {}),
      ...(options.until !== undefined ? { until: options.until } : {}),
      ...(options.probability !== undefined ? { probability: options.probability } : {}),
      remove: () => {
        const i = this.active.indexOf(entry);
        if (i >= 0) this.active.splice(i, 1);
      },
    };
    this.active.unshift(entry);
    return entry;
  }

  /** The newest live fault of a kind at `now`, without using it up or drawing its probability. */
  peek<K extends ModbusFaultKind>(kind: K, now: number): Of<K> | undefined {
    this.expire(now);
    return this.active.find((a) => a.fault.kind === kind)?.fault as Of<K> | undefined;
  }

  /**
   * The newest live fault of a kind that acts on this exchange (`applies` narrows it, e.g. to a
   * function code), counting one use of it; undefined when none acts.
   */
  take<K extends ModbusFaultKind>(kind: K, now: number, applies: (f: Of<K>) => boolean = () => true): Of<K> | undefined {
    this.expire(now);
    const a = this.active.find((x) => x.fault.kind === kind && applies(x.fault as Of<K>));
    if (!a) return undefined;
    if (a.probability !== undefined && this.next() >= a.probability) return undefined;
    if (a.remaining !== undefined && --a.remaining <= 0) a.remove();
    return a.fault as Of<K>;
  }

  /** Live faults at `now`, newest first. */
  list(now: number): readonly ActiveFault[] {
    this.expire(now);
    return [...this.active];
  }

  clear(): void {
    this.active.length = 0;
  }

  get size(): number {
    return this.active.length;
  }

  private expire(now: number): void {
    for (const a of [...this.active]) if (a.until !== undefined && now >= a.until) a.remove();
  }

  /** mulberry32 in [0, 1). */
  private next(): number {
    this.rng = (this.rng + 0x6d2b79f5) >>> 0;
    let t = this.rng;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
