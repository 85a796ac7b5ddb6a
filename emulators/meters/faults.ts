/**
 * Faults an emulated meter can show, switched on and off at run time. A fault wears off after
 * `count` exchanges or at clock time `until`, so a scenario can say "the next two requests go
 * unanswered" or "for ten minutes the meter answers late". The newest fault of a kind wins.
 */
export type MeterFault =
  /** The meter ignores requests (dead, wrong address configured, cable cut). */
  | { kind: 'no-answer' }
  /** Answers after `delayMs` instead of its reaction time (beyond the master's timeout). */
  | { kind: 'late-answer'; delayMs: number }
  /** The readout's BCC is wrong. */
  | { kind: 'wrong-bcc' }
  /** The readout stops after `afterBytes` bytes. */
  | { kind: 'truncated-readout'; afterBytes: number }
  /** One byte of the readout at `offset` is replaced by `value` (default: bit 0 flipped). */
  | { kind: 'garbled-byte'; offset: number; value?: number }
  /** After the option select, the meter talks at `baudRate` instead of the one agreed. */
  | { kind: 'wrong-baud'; baudRate: number }
  /** Programming mode commands are answered with NAK, or with `(ERROR)`. */
  | { kind: 'programming-nak' }
  | { kind: 'programming-error' }
  /** The meter answers requests for any address (two meters configured alike on one bus). */
  | { kind: 'foreign-address' };

export type MeterFaultKind = MeterFault['kind'];

export interface ActiveFault {
  fault: MeterFault;
  /** Exchanges left before it wears off (undefined: until removed or `until`). */
  remaining?: number;
  until?: number;
  remove(): void;
}

export class FaultSet {
  private readonly active: ActiveFault[] = [];

  add(fault: MeterFault, options: { count?: number; until?: number } = {}): ActiveFault {
    const entry: ActiveFault = {
      fault,
      ...(options.count !== undefined ? { remaining: options.count } : {}),
      ...(options.until !== undefined ? { until: options.until } : {}),
      remove: () => {
        const i = this.active.indexOf(entry);
        if (i >= 0) this.active.splice(i, 1);
      },
    };
    this.active.unshift(entry);
    return entry;
  }

  /** The newest live fault of a kind at time `now`, without using it up. */
  peek<K extends MeterFaultKind>(kind: K, now: number): Extract<MeterFault, { kind: K }> | undefined {
    this.expire(now);
    return this.active.find((a) => a.fault.kind === kind)?.fault as Extract<MeterFault, { kind: K }> | undefined;
  }

  /** Like `peek`, and counts one use of it. */
  take<K extends MeterFaultKind>(kind: K, now: number): Extract<MeterFault, { kind: K }> | undefined {
    this.expire(now);
    const a = this.active.find((x) => x.fault.kind === kind);
    if (!a) return undefined;
    if (a.remaining !== undefined && --a.remaining <= 0) a.remove();
    return a.fault as Extract<MeterFault, { kind: K }>;
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
