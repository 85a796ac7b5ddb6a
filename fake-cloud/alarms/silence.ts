/**
 * Modem silent: no contact (a record or a session) for `periods` send periods. Contact times are
 * the cloud's clock at arrival; the alarm's time is the moment the silence reached the limit.
 * One clock timer waits for the earliest modem due; a contact moves that modem's due time on.
 *
 * After a start of the cloud, a modem's silence is counted from the later of its last contact
 * and the start (a modem cannot reach a cloud that is down): restarting the cloud does not make
 * every modem look silent.
 */
import { isoTime, type Clock, type Timer } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { Store } from '../store/store.ts';
import type { Finding } from './finding.ts';
import type { AlarmRuleSettings } from './rule-settings.ts';
import { duration } from './rules/words.ts';

export class SilenceWatch {
  private readonly lastContact = new Map<string, number>();
  private readonly due = new Map<string, number>();
  private timer: Timer | undefined;
  private stopped = true;

  constructor(
    private readonly clock: Clock,
    private readonly store: Store,
    private readonly settings: (modemNo: string) => AlarmRuleSettings,
    private readonly onSilent: (modemNo: string, finding: Finding) => void,
    private readonly log?: Logger,
  ) {}

  /** Watches every modem seen before, counting from `max(last contact, now)`. */
  start(): void {
    this.stopped = false;
    const now = Math.round(this.clock.now());
    for (const m of this.store.modems()) {
      if (m.lastSeenAt !== null) this.set(m.modemNo, Math.max(m.lastSeenAt, now));
    }
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** The modem was heard from at `at` (cloud clock). */
  contact(modemNo: string, at: number): void {
    if (this.stopped) return;
    this.set(modemNo, at);
    this.arm();
  }

  /** The modem's settings changed: its due time is counted again from its last contact. */
  refresh(modemNo: string): void {
    const last = this.lastContact.get(modemNo);
    if (last === undefined || this.stopped) return;
    this.set(modemNo, last);
    this.arm();
  }

  /** Due time of a modem's silence alarm, if one is being waited for. */
  dueOf(modemNo: string): number | undefined {
    return this.due.get(modemNo);
  }

  private set(modemNo: string, at: number): void {
    this.lastContact.set(modemNo, at);
    const s = this.settings(modemNo);
    if (!s['modem-silent'].enabled) this.due.delete(modemNo);
    else this.due.set(modemNo, at + s['modem-silent'].periods * s.sendPeriodMin * 60_000);
  }

  private arm(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.stopped || this.due.size === 0) return;
    const next = Math.min(...this.due.values());
    this.timer = this.clock.setTimer(Math.max(0, next - this.clock.now()), () => this.fire(), 'alarms: modem silence');
  }

  /** Never throws: this runs in a clock timer. */
  private raise(modemNo: string, f: Finding): void {
    try {
      this.onSilent(modemNo, f);
    } catch (err) {
      this.log?.error({ modem: modemNo, err: errorMessage(err) }, 'modem silence alarm failed');
    }
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.clock.now();
    for (const [modemNo, due] of [...this.due]) {
      if (due > now) continue;
      this.due.delete(modemNo);
      const last = this.lastContact.get(modemNo) ?? due;
      const s = this.settings(modemNo);
      const limit = s['modem-silent'].periods * s.sendPeriodMin * 60_000;
      this.raise(modemNo, {
        rule: 'modem-silent',
        subject: 'modem',
        about: `modem ${modemNo}`,
        at: due,
        verdict: 'raise',
        text: `no contact for ${duration(limit)} (${s['modem-silent'].periods} send periods of ${s.sendPeriodMin} min); last contact ${isoTime(last)}`,
        details: { value: Math.round(limit / 60_000), limit: Math.round(limit / 60_000), unit: 'min', lastContact: last },
      });
    }
    this.arm();
  }
}
