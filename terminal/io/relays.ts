/**
 * The relay outputs C1, C2 and what decides their state:
 *
 * - the weekly schedule switches an output at its switching times (and sets it to the scheduled
 *   state when a schedule arrives);
 * - a command (by hand on the web page, or an automation rule) switches it at once; it holds
 *   until the schedule's next switching time for that output, or until its `until`, when the
 *   output falls back to what the schedule says (off for an output the schedule does not name).
 *
 * The schedule runs from the terminal's own clock: it goes on switching while the network is
 * down; every change is reported as an `io` record (queued in the outbox until the uplink is
 * back). Relays are released at power-up and when I/O support is switched off.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import type { RelayCause, ScheduleEntry } from '../../protocols/uplink/io.ts';
import type { IoPins } from './pins.ts';
import { nextSwitch, scheduledOn, scheduledOutputs } from './schedule.ts';

export interface RelayChange {
  n: number;
  on: boolean;
  cause: RelayCause;
  at: number;
  push?: string | undefined;
}

export class RelayOutputs {
  private readonly state: boolean[];
  private readonly untilTimers: (Timer | undefined)[];
  private schedule: readonly ScheduleEntry[] = [];
  private utcOffsetMin = 180;
  private switchTimer: Timer | undefined;
  private lastScheduled = new Map<number, boolean>();

  constructor(private readonly o: { clock: Clock; pins: IoPins; count: number; onChange: (c: RelayChange) => void }) {
    this.state = Array.from({ length: o.count }, () => false);
    this.untilTimers = Array.from({ length: o.count }, () => undefined);
    for (let n = 1; n <= o.count; n++) o.pins.setRelay(n, false);
  }

  get count(): number {
    return this.state.length;
  }

  isOn(n: number): boolean {
    return this.state[n - 1] ?? false;
  }

  /** Switches output `n` now (a command); with `until`, falls back to the schedule then. */
  command(n: number, on: boolean, cause: RelayCause, options: { until?: number | undefined; push?: string | undefined } = {}): void {
    this.untilTimers[n - 1]?.cancel();
    this.untilTimers[n - 1] = undefined;
    this.set(n, on, cause, options.push);
    const until = options.until;
    if (until !== undefined) {
      this.untilTimers[n - 1] = this.o.clock.setTimer(until - this.o.clock.now(), () => {
        this.untilTimers[n - 1] = undefined;
        this.set(n, this.scheduledState(n), 'until');
      }, `io: C${n} until`);
    }
  }

  /** Replaces the schedule and sets the outputs it names to their scheduled state now. */
  setSchedule(entries: readonly ScheduleEntry[], utcOffsetMin: number): void {
    this.schedule = entries.filter((e) => e.output <= this.state.length);
    this.utcOffsetMin = utcOffsetMin;
    this.lastScheduled = new Map();
    const now = this.o.clock.now();
    for (const n of scheduledOutputs(this.schedule)) {
      const on = scheduledOn(this.schedule, n, now, utcOffsetMin);
      this.lastScheduled.set(n, on);
      this.set(n, on, 'schedule');
    }
    this.arm();
  }

  /** Releases every relay (I/O support off, or shutting down with `report: false`). */
  releaseAll(cause: RelayCause, report = true): void {
    this.stopSchedule();
    for (let n = 1; n <= this.state.length; n++) {
      this.untilTimers[n - 1]?.cancel();
      this.untilTimers[n - 1] = undefined;
      if (report) this.set(n, false, cause);
      else this.o.pins.setRelay(n, false);
    }
  }

  /** Stops the schedule's timer (the state stays). */
  stopSchedule(): void {
    this.switchTimer?.cancel();
    this.switchTimer = undefined;
  }

  dispose(): void {
    this.stopSchedule();
    for (const t of this.untilTimers) t?.cancel();
  }

  private scheduledState(n: number): boolean {
    return scheduledOn(this.schedule, n, this.o.clock.now(), this.utcOffsetMin);
  }

  private arm(): void {
    this.stopSchedule();
    const now = this.o.clock.now();
    const next = nextSwitch(this.schedule, now, this.utcOffsetMin);
    if (next === undefined) return;
    this.switchTimer = this.o.clock.setTimer(next - now, () => this.onSwitchTime(), 'io: schedule');
  }

  private onSwitchTime(): void {
    const now = this.o.clock.now();
    for (const n of scheduledOutputs(this.schedule)) {
      const on = scheduledOn(this.schedule, n, now, this.utcOffsetMin);
      if (this.lastScheduled.get(n) === on) continue;
      this.lastScheduled.set(n, on);
      this.untilTimers[n - 1]?.cancel();
      this.untilTimers[n - 1] = undefined;
      this.set(n, on, 'schedule');
    }
    this.arm();
  }

  private set(n: number, on: boolean, cause: RelayCause, push?: string): void {
    if (this.state[n - 1] === on) return;
    this.state[n - 1] = on;
    this.o.pins.setRelay(n, on);
    this.o.onChange({ n, on, cause, at: this.o.clock.now(), push });
  }
}
