/**
 * The notification outbox and its dispatcher. An alarm transition becomes one row per
 * (alarm, transition, recipient, channel) in `notifications` — the unique key makes a second
 * enqueue of the same notice a no-op, so nothing is sent twice for one transition. Rows are
 * written in the caller's transaction (the alarm's), then sent: e-mail over SMTP (`SmtpMailer`
 * to the embedded `MailCapture`), SMS through the `SmsGateway` stand-in.
 *
 * Sending (`kick()`): rows go out oldest first; a row waits while an older row for the same
 * recipient and channel is not yet sent (a clear never overtakes its raise). Before a send the
 * row is marked `sending` and its attempt counted (committed); after it, `sent`. A failure puts
 * the row back to `pending` with `next_at` = now + back-off (30 s, doubling, at most 30 min;
 * after `maxAttempts` it is `failed` and a `notification-failed` cloud event is written).
 * A row found `sending` at the next pass was interrupted between send and mark (a crash): the
 * receiver is asked first (the capture by Message-ID, the gateway by reference) and the row is
 * marked sent when it holds the message; otherwise it is sent again, and the receiver's own
 * idempotency (same Message-ID / reference) keeps it single.
 *
 * Time: the whole pass is registered with the clock (`clock.track`), so on a virtual clock time
 * does not move while a message is on its way over real SMTP; retries wait on clock timers.
 */
import { createHash } from 'node:crypto';
import type { Clock, Timer } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import { createLogger, type Logger } from '../../core/log.ts';
import type { Store } from '../store/store.ts';
import { MailCapture } from './mail-capture.ts';
import { mailBody, mailSubject, smsText, type AlarmNotice } from './message-text.ts';
import { wants, type Recipient, type RecipientSource } from './recipients.ts';
import { SmsGateway } from './sms-gateway.ts';
import { SmtpMailer, messageIdOf } from './smtp-mailer.ts';
import { sql } from './sql.ts';

export interface RetryPolicy {
  firstMs: number;
  maxMs: number;
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { firstMs: 30_000, maxMs: 30 * 60_000, maxAttempts: 10 };

export interface NotifierOptions {
  store: Store;
  clock: Clock;
  recipients: RecipientSource;
  /** The site location of a modem, for the message text (from its settings). */
  location?: (modemNo: string) => string | undefined;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
  /** Local time offset of the times in messages (default 180). */
  utcOffsetMin?: number;
  /** Send e-mail to this SMTP server instead of the embedded capture. */
  smtp?: { host: string; port: number };
  /** Sender address. */
  from?: string;
}

export type Channel = 'email' | 'sms';

export interface NotificationRow {
  id: number;
  alarmId: number;
  transition: 'raised' | 'cleared';
  channel: Channel;
  recipient: string;
  subject: string | null;
  body: string;
  ref: string;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  nextAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

/** Fault switches of the notifier itself, for tests. */
export interface NotifierFaults {
  /** Die (stop all work, row left `sending`) right after the N-th successful send from now. */
  crashAfterSend: number | undefined;
}

type Row = Record<string, unknown>;

export class Notifier {
  readonly capture: MailCapture;
  readonly sms: SmsGateway;
  readonly mailer: SmtpMailer;
  readonly faults: NotifierFaults = { crashAfterSend: undefined };
  private readonly sentListeners = new Set<(n: NotificationRow) => void>();
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly retry: RetryPolicy;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: Timer | undefined;
  private stopped = false;
  private crashed = false;

  constructor(private readonly o: NotifierOptions) {
    this.store = o.store;
    this.clock = o.clock;
    this.log = o.logger?.child({ part: 'notify' }) ?? createLogger('fake-cloud', { part: 'notify' });
    this.retry = { ...DEFAULT_RETRY, ...o.retry };
    this.capture = new MailCapture(o.store, o.clock, this.log);
    this.sms = new SmsGateway(o.store, o.clock);
    this.mailer = new SmtpMailer(o.clock, o.from);
  }

  /** Opens the SMTP capture port now (else it opens with the first e-mail); resolves with it. */
  async start(port = 0): Promise<number> {
    this.stopped = false;
    const p = await this.capture.start(port);
    this.kick();
    return p;
  }

  /** Sends again after `stop()` (the SMTP capture opens with the next e-mail), and looks at the queue now. */
  resume(): void {
    this.stopped = false;
    this.kick();
  }

  /** Stops sending (waits for the message in flight), closes SMTP. Rows not sent stay queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.running;
    this.mailer.close();
    await this.capture.stop();
  }

  /** True once the `crashAfterSend` fault fired. */
  get hasCrashed(): boolean {
    return this.crashed;
  }

  /**
   * Queues the notices of one alarm transition for every recipient of the modem that takes
   * this kind: an e-mail to each address, an SMS to each number. Call inside the transaction
   * that made the transition; then `kick()`. Returns the rows added (0 for a repeat).
   */
  enqueue(n: AlarmNotice): number {
    const now = Math.round(this.clock.now());
    let people: Recipient[];
    let location: string | undefined;
    try {
      people = this.o.recipients.recipients(n.modemNo);
      location = this.o.location?.(n.modemNo);
    } catch (err) {
      // The alarm stands; its notices cannot be addressed. Said in the log and as a cloud event.
      this.log.error({ modem: n.modemNo, alarm: n.alarmId, err: errorMessage(err) }, 'cannot read the recipients');
      this.store.addCloudEvent(n.modemNo, 'notification-failed', now, { alarm: n.alarmId, transition: n.transition, text: `cannot read the recipients: ${errorMessage(err)}` });
      return 0;
    }
    const text = { location, utcOffsetMin: this.o.utcOffsetMin ?? 180 };
    const insert = sql(
      this.store.db,
      `INSERT OR IGNORE INTO notifications (alarm_id, transition, channel, recipient, subject, body, ref, state, next_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
    );
    let added = 0;
    const seen = new Set<string>();
    for (const r of people) {
      if (!wants(r, n.kind)) continue;
      const targets: [Channel, string | undefined][] = [['email', r.email?.toLowerCase()], ['sms', r.phone]];
      for (const [channel, to] of targets) {
        if (!to || seen.has(`${channel} ${to}`)) continue;
        seen.add(`${channel} ${to}`);
        const ref = refOf(n.alarmId, n.transition, channel, to);
        const body = channel === 'email' ? mailBody(n, text) : smsText(n, text);
        added += insert.run(n.alarmId, n.transition, channel, to, channel === 'email' ? mailSubject(n) : null, body, ref, now, now).changes;
      }
    }
    return added;
  }

  /** Starts a sending pass (or asks the running one to look again). */
  kick(): void {
    if (this.stopped || this.crashed) return;
    this.again = true;
    if (this.running) return;
    this.running = this.clock.track(this.drain(), 'notify: sending');
  }

  /** Resolves when no sending pass is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Outbox rows, oldest first. */
  outbox(q: { alarmId?: number | undefined; state?: string | undefined; channel?: Channel | undefined } = {}): NotificationRow[] {
    return (sql(this.store.db, 'SELECT * FROM notifications ORDER BY id').all() as Row[])
      .map(toRow)
      .filter((r) => (q.alarmId === undefined || r.alarmId === q.alarmId) && (q.state === undefined || r.state === q.state) && (q.channel === undefined || r.channel === q.channel));
  }

  private async drain(): Promise<void> {
    try {
      while (this.again && !this.stopped && !this.crashed) {
        this.again = false;
        await this.pass();
      }
    } catch (err) {
      this.log.error({ err: errorMessage(err) }, 'notification pass failed');
    } finally {
      // Cleared in the same step as the loop's last check: a kick after it starts a new pass.
      this.running = undefined;
    }
    this.arm();
  }

  private unsent(): NotificationRow[] {
    return (sql(this.store.db, "SELECT * FROM notifications WHERE state IN ('pending', 'sending') ORDER BY id").all() as Row[]).map(toRow);
  }

  private async pass(): Promise<void> {
    const blocked = new Set<string>();
    for (const row of this.unsent()) {
      if (this.stopped || this.crashed || !this.store.db.open) return;
      const key = `${row.channel} ${row.recipient}`;
      if (blocked.has(key)) continue;
      if (row.nextAt > this.clock.now()) {
        blocked.add(key);
        continue;
      }
      if (!(await this.deliver(row))) blocked.add(key);
    }
  }

  /** One attempt at one row; true when it is sent. */
  private async deliver(row: NotificationRow): Promise<boolean> {
    const db = this.store.db;
    if (row.state === 'sending' && this.receiverHas(row)) {
      this.markSent(row.id, 'found at the receiver after an interrupted send');
      return true;
    }
    sql(db, "UPDATE notifications SET state = 'sending', attempts = attempts + 1 WHERE id = ?").run(row.id);
    const attempt = row.attempts + 1;
    try {
      if (row.channel === 'email') {
        const server = this.o.smtp ?? { host: '127.0.0.1', port: await this.capture.start() };
        await this.mailer.send(server, { ref: row.ref, to: row.recipient, subject: row.subject ?? '', text: row.body, alarmId: row.alarmId, transition: row.transition });
      } else {
        await this.sms.send({ ref: row.ref, to: row.recipient, text: row.body, alarmId: row.alarmId });
      }
    } catch (err) {
      if (!db.open) return false;
      const now = Math.round(this.clock.now());
      const text = errorMessage(err);
      if (attempt >= this.retry.maxAttempts) {
        sql(db, "UPDATE notifications SET state = 'failed', last_error = ? WHERE id = ?").run(text, row.id);
        const modem = sql(db, 'SELECT modem_no FROM alarms WHERE id = ?').get(row.alarmId) as Row | undefined;
        if (modem) this.store.addCloudEvent(modem['modem_no'] as string, 'notification-failed', now, { notification: row.id, alarm: row.alarmId, channel: row.channel, recipient: row.recipient, attempts: attempt, text });
        this.log.warn({ id: row.id, channel: row.channel, attempts: attempt, err: text }, 'notification given up');
      } else {
        const wait = Math.min(this.retry.maxMs, this.retry.firstMs * 2 ** (attempt - 1));
        sql(db, "UPDATE notifications SET state = 'pending', next_at = ?, last_error = ? WHERE id = ?").run(now + wait, text, row.id);
        this.log.info({ id: row.id, channel: row.channel, attempt, retryInMs: wait, err: text }, 'notification not sent; will retry');
      }
      return false;
    }
    if (this.faults.crashAfterSend !== undefined && --this.faults.crashAfterSend <= 0) {
      this.faults.crashAfterSend = undefined;
      this.crashed = true;
      this.log.warn({ id: row.id }, 'fault: notifier crashed after a send, before marking it');
      return false;
    }
    if (db.open) this.markSent(row.id);
    return true;
  }

  private receiverHas(row: NotificationRow): boolean {
    return row.channel === 'email' ? this.capture.has(messageIdOf(row.ref)) : this.sms.has(row.ref);
  }

  private markSent(id: number, note?: string): void {
    sql(this.store.db, "UPDATE notifications SET state = 'sent', sent_at = ?, last_error = COALESCE(?, last_error) WHERE id = ?").run(Math.round(this.clock.now()), note ?? null, id);
    if (this.sentListeners.size === 0) return;
    const row = sql(this.store.db, 'SELECT * FROM notifications WHERE id = ?').get(id) as Row | undefined;
    if (row) for (const l of [...this.sentListeners]) l(toRow(row));
  }

  /** Called for every notification delivered (to the SMTP capture or the SMS gateway). */
  onSent(listener: (n: NotificationRow) => void): () => void {
    this.sentListeners.add(listener);
    return () => this.sentListeners.delete(listener);
  }

  /** Sets the retry timer at the first time a queue head is due. */
  private arm(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.stopped || this.crashed || !this.store.db.open) return;
    const heads = new Map<string, number>();
    for (const r of this.unsent()) {
      const key = `${r.channel} ${r.recipient}`;
      if (!heads.has(key)) heads.set(key, r.nextAt);
    }
    if (heads.size === 0) return;
    const next = Math.min(...heads.values());
    this.timer = this.clock.setTimer(Math.max(0, next - this.clock.now()), () => {
      this.timer = undefined;
      this.kick();
    }, 'notify: retry');
  }
}

/** The outbox reference of a notice: stable for (alarm, transition, channel, recipient). */
export function refOf(alarmId: number, transition: string, channel: Channel, to: string): string {
  const h = createHash('sha256').update(`${alarmId} ${transition} ${channel} ${to}`).digest('hex').slice(0, 12);
  return `a${alarmId}-${transition}-${channel}-${h}`;
}

function toRow(r: Row): NotificationRow {
  return {
    id: r['id'] as number,
    alarmId: r['alarm_id'] as number,
    transition: r['transition'] as 'raised' | 'cleared',
    channel: r['channel'] as Channel,
    recipient: r['recipient'] as string,
    subject: (r['subject'] as string | null) ?? null,
    body: r['body'] as string,
    ref: r['ref'] as string,
    state: r['state'] as NotificationRow['state'],
    attempts: r['attempts'] as number,
    nextAt: r['next_at'] as number,
    lastError: (r['last_error'] as string | null) ?? null,
    createdAt: r['created_at'] as number,
    sentAt: (r['sent_at'] as number | null) ?? null,
  };
}
