/**
 * The clock of a pty or rig run: wall time, read as if the run had begun at the scenario's start
 * (default 2026-01-05T00:00:00Z, as in virtual mode), so a scenario's times, the terminal's poll
 * grid (the first 15-minute poll at 00:15) and the site's load curve are the same in every mode.
 *
 * `scale` runs it faster than the wall (scale 10: one wall second is ten clock seconds). Only the
 * clock is scaled: the OS time of ptys, USB adapters and TCP is not, so every OS delay grows by
 * the scale in clock terms. Exchanges with tight windows suffer first: a Modbus RTU frame end
 * (3.5 characters, 4 ms at 9600 baud) is lost in OS jitter above a scale of about 2, and an IEC
 * 62056-21 reaction time (200 ms) above about 20. Use it for long send periods with patient
 * devices, not for timing faults.
 */
import { RealClock, type Timer } from '../../core/clock/index.ts';

export class RunClock extends RealClock {
  private readonly live = new Set<Timer>();
  private stopped = false;

  constructor(options: { start: number; scale?: number }) {
    super({ start: options.start, ...(options.scale !== undefined ? { scale: options.scale } : {}) });
  }

  override setTimer(delayMs: number, callback: () => void, label?: string): Timer {
    if (this.stopped) return { due: this.now() + Math.max(0, delayMs), cancel: () => {} };
    const t = super.setTimer(
      delayMs,
      () => {
        this.live.delete(timer);
        callback();
      },
      label,
    );
    const timer: Timer = {
      due: t.due,
      cancel: () => {
        t.cancel();
        this.live.delete(timer);
      },
    };
    this.live.add(timer);
    return timer;
  }

  /**
   * Ends the run's time: cancels every pending timer, and later timers never fire (a pending
   * sleep never resolves). What the site left running stops with it, and nothing keeps the
   * process alive.
   */
  stop(): void {
    this.stopped = true;
    for (const t of [...this.live]) t.cancel();
  }
}
