/**
 * The alarm book of a compensation relay: which alarms are active, and since when each condition
 * has held, so that an alarm with a delay is raised only once its condition has lasted that long.
 * Bit i of the mask is `RELAY_ALARMS[i]` (over-compensation = bit 0 … thd = bit 6).
 */
import { RELAY_ALARMS, type RelayAlarm } from './quantities.ts';

export class RelayAlarms {
  private readonly since = new Map<RelayAlarm, number>();
  private readonly active = new Set<RelayAlarm>();

  constructor(private readonly note?: (text: string) => void) {}

  has(alarm: RelayAlarm): boolean {
    return this.active.has(alarm);
  }

  /** Active alarms in vocabulary order. */
  list(): RelayAlarm[] {
    return RELAY_ALARMS.filter((a) => this.active.has(a));
  }

  mask(): number {
    return RELAY_ALARMS.reduce((m, a, i) => (this.active.has(a) ? m | (1 << i) : m), 0);
  }

  /**
   * Records whether an alarm's condition holds at `now`. A condition that holds becomes an alarm
   * once it has held for `delayMs`; until then the time it will be due is pushed on `due`.
   * A condition that ends clears the alarm at once.
   */
  update(alarm: RelayAlarm, condition: boolean, now: number, delayMs: number, due: number[]): void {
    if (!condition) {
      this.since.delete(alarm);
      if (this.active.delete(alarm)) this.note?.(`relay: alarm ${alarm} cleared`);
      return;
    }
    const since = this.since.get(alarm) ?? now;
    this.since.set(alarm, since);
    if (now < since + delayMs) {
      due.push(since + delayMs);
      return;
    }
    if (!this.active.has(alarm)) this.note?.(`relay: alarm ${alarm}`);
    this.active.add(alarm);
  }
}
