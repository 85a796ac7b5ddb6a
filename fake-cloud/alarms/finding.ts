/**
 * What a rule concludes from one observation, and what it is given to decide. A rule is a
 * function `(ctx, record) => Finding[]`; the engine (`alarms.ts`) applies the findings through
 * the state machine of each (modem, rule, subject).
 */
import type { Store } from '../store/store.ts';
import type { AlarmDetails, AlarmStore } from './alarm-store.ts';
import type { AlarmRule, AlarmRuleSettings } from './rule-settings.ts';

export interface Finding {
  rule: AlarmRule;
  /** Stable key of what the alarm is about: `mains`, `meter:30012345/inductive`, `modbus:rs485:147`. */
  subject: string;
  /** The subject in words: `meter 30012345, inductive`. */
  about: string;
  /** The fact's time (clock ms): when the condition began or ended. */
  at: number;
  /** raise: the condition holds; clear: it is over; hold: neither (e.g. within the hysteresis). */
  verdict: 'raise' | 'clear' | 'hold';
  /** The finding in one sentence (becomes the alarm's raise or clear text). */
  text: string;
  details?: AlarmDetails | undefined;
  /**
   * What the rule keeps for this subject until the next observation; stored with `at` as the
   * subject's last observation time. Left out: the memory stays as it was. A finding older than
   * the subject's last observation is not applied (a late resend cannot undo a newer fact).
   */
  memory?: unknown;
}

/** An uplink record as the rules see it (body validated). */
export interface RuleRecord {
  seq: number;
  at: number;
  kind: string;
  body: unknown;
}

export interface RuleContext {
  modemNo: string;
  /** Terminal model as provisioned or reported. */
  model: string | null;
  settings: AlarmRuleSettings;
  alarms: AlarmStore;
  store: Store;
  /** The cloud's clock now. */
  now: number;
}

export type RecordRule = (ctx: RuleContext, record: RuleRecord) => Finding[];
