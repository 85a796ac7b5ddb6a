/**
 * Faults stacked on an emulated device, switched on and off at run time. A fault wears off after
 * `count` exchanges or at clock time `until`, and may act on a share (`probability`) of the
 * exchanges, drawn repeatably from a seed. The newest fault of a kind wins.
 */
import { mulberry32 } from '../core/random.ts';

export interface FaultOptions {
  /** Exchanges it acts on before it wears off. */
  count?: number;
  /** Clock time at which it wears off. */
  until?: number;
  /** Share of exchanges it acts on, 0..1 (default 1). */
  probability?: number;
}

export interface ActiveFault<F> {
  readonly fault: F;
  /** Exchanges left (undefined: until removed or `until`). */
  remaining?: number;
  readonly until?: number;
  readonly probability?: number;
  remove(): void;
}

export class StackedFaults<F extends { kind: string }> {
  private readonly active: ActiveFault<F>[] = [];
  private readonly random: () => number;

  constructor(seed = 1) {
    this.random = mulberry32(seed >>> 0 || 1);
  }

  /** Adds a fault in front of the others; returns a handle to remove it early. */
  add(fault: F, options: FaultOptions = {}): ActiveFault<F> {
    const entry: ActiveFault<F> = {
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
  peek<K extends F['kind']>(kind: K, now: number): Extract<F, { kind: K }> | undefined {
    this.expire(now);
    return this.active.find((a) => a.fault.kind === kind)?.fault as Extract<F, { kind: K }> | undefined;
  }

  /**
   * The newest live fault of a kind that acts on this exchange (`applies` narrows it, e.g. to a
   * function code), counting one use of it; undefined when none acts.
   */
  take<K extends F['kind']>(kind: K, now: number, applies: (f: Extract<F, { kind: K }>) => boolean = () => true): Extract<F, { kind: K }> | undefined {
    this.expire(now);
    const a = this.active.find((x) => x.fault.kind === kind && applies(x.fault as Extract<F, { kind: K }>));
    if (!a) return undefined;
    if (a.probability !== undefined && this.random() >= a.probability) return undefined;
    if (a.remaining !== undefined && --a.remaining <= 0) a.remove();
    return a.fault as Extract<F, { kind: K }>;
  }

  /** Live faults at `now`, newest first. */
  list(now: number): readonly ActiveFault<F>[] {
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
}
