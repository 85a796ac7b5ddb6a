/**
 * The SMS gateway the cloud hands its text messages to, as an in-process stand-in: no HTTP, an
 * accepted message is kept in the cloud's database (`sms_gateway`) as "sent to the phone".
 *
 * - Idempotent on the client reference `ref`: a message whose reference was accepted before is
 *   answered with the first acceptance and not sent again (gateways offer this for safe resends).
 * - Fault switches: `failNext(n)` refuses the next n submissions; `downUntil(t)` refuses every
 *   submission until clock time t. A refusal rejects with `SmsGatewayError`.
 * - Every submission, accepted or refused, is logged in `attempts` (for tests).
 */
import type { Clock } from '../../core/clock/index.ts';
import { HtHilError } from '../../core/errors.ts';
import type { Store } from '../store/store.ts';
import { E164 } from './recipients.ts';
import { sql } from './sql.ts';

export interface SmsSubmit {
  ref: string;
  to: string;
  text: string;
  alarmId?: number;
}

export interface SmsMessage {
  id: number;
  ref: string;
  to: string;
  text: string;
  alarmId: number | null;
  acceptedAt: number;
}

export interface SmsAttempt {
  at: number;
  ref: string;
  to: string;
  ok: boolean;
  error?: string;
}

export class SmsGatewayError extends HtHilError {
  constructor(message: string) {
    super('E_SMS', message);
  }
}

/** Longest text accepted: 10 concatenated parts of 153 GSM characters. */
export const SMS_MAX_TEXT = 1530;

type Row = Record<string, unknown>;

export class SmsGateway {
  /** Every submission, oldest first. */
  readonly attempts: SmsAttempt[] = [];
  private failCount = 0;
  private failText = 'gateway error 503: service unavailable';
  private down: { until: number; text: string } | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The next `count` submissions are refused with `text`. */
  failNext(count: number, text = 'gateway error 503: service unavailable'): void {
    this.failCount = Math.max(0, count);
    this.failText = text;
  }

  /** Every submission until clock time `until` is refused. */
  downUntil(until: number, text = 'gateway unreachable'): void {
    this.down = { until, text };
  }

  clearFaults(): void {
    this.failCount = 0;
    this.down = undefined;
  }

  /** Submits a message; resolves with the accepted message (the earlier one for a known `ref`). */
  async send(m: SmsSubmit): Promise<SmsMessage> {
    const now = Math.round(this.clock.now());
    const refuse = (error: string): never => {
      this.attempts.push({ at: now, ref: m.ref, to: m.to, ok: false, error });
      throw new SmsGatewayError(`SMS gateway: ${error}`);
    };
    if (this.down && now < this.down.until) refuse(this.down.text);
    if (this.failCount > 0) {
      this.failCount--;
      refuse(this.failText);
    }
    if (!E164.test(m.to)) refuse(`invalid destination '${m.to}': expected an E.164 number`);
    if (m.text.length === 0 || m.text.length > SMS_MAX_TEXT) refuse(`text length ${m.text.length}: expected 1..${SMS_MAX_TEXT}`);
    sql(this.store.db, 'INSERT OR IGNORE INTO sms_gateway (ref, to_number, text, alarm_id, accepted_at) VALUES (?, ?, ?, ?, ?)').run(m.ref, m.to, m.text, m.alarmId ?? null, now);
    this.attempts.push({ at: now, ref: m.ref, to: m.to, ok: true });
    return this.byRef(m.ref)!;
  }

  /** True when a message with this reference was accepted. */
  has(ref: string): boolean {
    return this.byRef(ref) !== undefined;
  }

  /** Accepted messages, oldest first. */
  messages(q: { to?: string | undefined; alarmId?: number | undefined; limit?: number | undefined } = {}): SmsMessage[] {
    return (sql(this.store.db, 'SELECT * FROM sms_gateway ORDER BY id').all() as Row[])
      .map(toSms)
      .filter((m) => (q.to === undefined || m.to === q.to) && (q.alarmId === undefined || m.alarmId === q.alarmId))
      .slice(0, q.limit ?? 1000);
  }

  private byRef(ref: string): SmsMessage | undefined {
    const r = sql(this.store.db, 'SELECT * FROM sms_gateway WHERE ref = ?').get(ref) as Row | undefined;
    return r ? toSms(r) : undefined;
  }
}

function toSms(r: Row): SmsMessage {
  return { id: r['id'] as number, ref: r['ref'] as string, to: r['to_number'] as string, text: r['text'] as string, alarmId: (r['alarm_id'] as number | null) ?? null, acceptedAt: r['accepted_at'] as number };
}
