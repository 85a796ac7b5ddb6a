/**
 * Mains outage detection of the AC models (G21, G22, G24, G25). The supply monitor watches the
 * mains at the supply terminals:
 *
 * ```
 * mains   ────────┐ (bounces) ┌───────────────────────────┐       ┌──────
 *                 └───────────┘                           └───────┘
 *                 t0 ──debounce──▶ outage-start {startedAt: t0} stored on the backup supply;
 *                                  after holdUpMs without mains: power fail (terminal off)
 *                              mains back at t1 ──debounce──▶ outage-end {startedAt, endedAt: t1}
 * ```
 *
 * A dip shorter than the debounce is not an outage. The terminal stays up on its backup supply
 * for `holdUpMs`, long enough to store the start; then `onPowerFail` tells the owner to stop
 * (the terminal goes dark, relays drop). The open outage is kept in the terminal's state file,
 * so after the restart that follows the mains' return the end is reported with the time the
 * restarted terminal saw the mains.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { OUTAGE_EVENTS, type OutageDetails } from '../../protocols/uplink/io.ts';
import type { IoPins, IoSink } from './pins.ts';

export interface OutageDetectorOptions {
  clock: Clock;
  pins: IoPins;
  sink: IoSink;
  /** A mains change must last this long to count (default 60 ms: three 50 Hz cycles). */
  debounceMs?: number;
  /** How long the backup supply keeps the terminal up without mains (default 5 s). */
  holdUpMs?: number;
  /** The backup supply ran out: the terminal is off from now on. */
  onPowerFail?: () => void;
  /** Start time of an outage still open (from the state file), and where to keep it. */
  openSince?: number | undefined;
  persist?: (openSince: number | undefined) => Promise<void>;
}

export class OutageDetector {
  private present: boolean;
  private lastEdge: number;
  private openSince: number | undefined;
  private debounce: Timer | undefined;
  private holdUp: Timer | undefined;
  private off: (() => void) | undefined;
  private readonly debounceMs: number;
  private readonly holdUpMs: number;

  constructor(private readonly o: OutageDetectorOptions) {
    this.debounceMs = o.debounceMs ?? 60;
    this.holdUpMs = o.holdUpMs ?? 5000;
    this.present = o.pins.mains();
    this.lastEdge = o.clock.now();
    this.openSince = o.openSince;
  }

  /** The start of the outage in progress (or left open by a power fail), clock ms. */
  get outageSince(): number | undefined {
    return this.openSince;
  }

  /**
   * Starts watching. `openSince`: an outage left open before a restart (from the state file);
   * with mains present now, it ends at once (at now).
   */
  async start(openSince?: number): Promise<void> {
    if (openSince !== undefined) this.openSince = openSince;
    this.present = this.o.pins.mains();
    this.off ??= this.o.pins.onMains(() => this.edge());
    if (this.openSince !== undefined && this.present) await this.end(Math.round(this.o.clock.now()));
  }

  dispose(): void {
    this.off?.();
    this.off = undefined;
    this.debounce?.cancel();
    this.holdUp?.cancel();
  }

  private edge(): void {
    this.lastEdge = this.o.clock.now();
    this.debounce?.cancel();
    this.debounce = this.o.clock.setTimer(this.debounceMs, () => void this.confirm(), 'io: mains debounce');
  }

  private async confirm(): Promise<void> {
    const now = this.o.pins.mains();
    if (now === this.present) return;
    this.present = now;
    const at = Math.round(this.lastEdge);
    if (!now) {
      this.holdUp = this.o.clock.setTimer(this.lastEdge + this.holdUpMs - this.o.clock.now(), () => {
        if (!this.present) this.o.onPowerFail?.();
      }, 'io: backup supply');
      if (this.openSince !== undefined) return;
      this.openSince = at;
      const details: OutageDetails = { startedAt: at };
      await this.o.persist?.(at);
      await this.o.sink({ kind: 'event', at, body: { name: OUTAGE_EVENTS.start, details: { ...details } } });
    } else {
      this.holdUp?.cancel();
      if (this.openSince !== undefined) await this.end(at);
    }
  }

  private async end(at: number): Promise<void> {
    const startedAt = this.openSince!;
    this.openSince = undefined;
    const details: OutageDetails = { startedAt, endedAt: at, durationMs: at - startedAt };
    await this.o.sink({ kind: 'event', at, body: { name: OUTAGE_EVENTS.end, details: { ...details } } });
    await this.o.persist?.(undefined);
  }
}
