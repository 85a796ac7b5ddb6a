/**
 * The cloud's alarm rules, judged as data arrives: every new record from the uplink goes through
 * the record rules (outage, not answering, input, voltage, capacitor step, reactive ratio and
 * forecast); modem silence is judged on a clock timer. Each (modem, rule, subject) is a two-state
 * machine — normal ⇄ open — kept in the store: an alarm is raised once when its condition starts
 * and cleared once when it ends, also across a restart of a file-backed cloud. A transition and
 * its notices (the notifier's outbox rows) are written in one transaction, then sent.
 *
 * Rules never throw into the uplink: a rule that fails is logged and written as an
 * `alarm-rule-failed` cloud event, and the record is still acknowledged.
 */
import { isoTime, type Clock } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import { createLogger, type Logger } from '../../core/log.ts';
import { validateRecordBody } from '../../protocols/uplink/records.ts';
import type { AlarmNotice } from '../notify/message-text.ts';
import type { Notifier } from '../notify/notifier.ts';
import type { Store } from '../store/store.ts';
import type { StoredRecordEvent, UplinkServer } from '../uplink/server.ts';
import { AlarmStore, type AlarmRow } from './alarm-store.ts';
import { parseAlarmQuery, requireModem } from './alarm-inputs.ts';
import type { Finding, RecordRule, RuleContext, RuleRecord } from './finding.ts';
import { ALARM_RULES, RULE_TITLES, parseRuleSettings, type AlarmRule, type AlarmRuleSettings } from './rule-settings.ts';
import { capacitorRule } from './rules/capacitor.ts';
import { inputRule } from './rules/input.ts';
import { meterRule, modbusRule } from './rules/not-answering.ts';
import { outageRule } from './rules/outage.ts';
import { reactiveRule } from './rules/reactive.ts';
import { voltageRule } from './rules/voltage.ts';
import { duration } from './rules/words.ts';
import { SilenceWatch } from './silence.ts';

export interface AlarmsOptions {
  store: Store;
  clock: Clock;
  /** Records and sessions come from here; without it, feed records with `handleRecord`. */
  uplink?: UplinkServer | undefined;
  /** Where transitions are told; without it alarms are only kept. */
  notifier?: Notifier | undefined;
  /**
   * The modem's send period as its site settings hold it (null/undefined: not set there); when
   * set it replaces the rule settings' `sendPeriodMin` in the silence and absence rules.
   */
  sendPeriodMin?: ((modemNo: string) => number | null | undefined) | undefined;
  logger?: Logger | undefined;
}

/** An alarm as the API shows it. */
export interface AlarmView extends AlarmRow {
  title: string;
  raised: string;
  cleared: string | null;
}

/** A transition made: the alarm after it. */
export interface AlarmTransition {
  transition: 'raised' | 'cleared';
  alarm: AlarmRow;
}

const RECORD_RULES: readonly { name: string; rule: RecordRule }[] = [
  { name: 'mains-outage', rule: outageRule },
  { name: 'meter-not-answering', rule: meterRule },
  { name: 'modbus-not-answering', rule: modbusRule },
  { name: 'input-change', rule: inputRule },
  { name: 'voltage', rule: voltageRule },
  { name: 'capacitor-step', rule: capacitorRule },
  { name: 'reactive', rule: reactiveRule },
];

export class Alarms {
  readonly book: AlarmStore;
  readonly notifier: Notifier | undefined;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly silence: SilenceWatch;
  private subscriptions: (() => void)[] = [];
  private readonly transitionListeners = new Set<(t: AlarmTransition) => void>();

  /** Called for every alarm raised or cleared. */
  onTransition(listener: (t: AlarmTransition) => void): () => void {
    this.transitionListeners.add(listener);
    return () => this.transitionListeners.delete(listener);
  }

  /** Transitions made since the start, oldest first (the last 10 000; for tests and reports). */
  readonly transitions: AlarmTransition[] = [];

  constructor(private readonly o: AlarmsOptions) {
    this.store = o.store;
    this.clock = o.clock;
    this.notifier = o.notifier;
    this.log = o.logger?.child({ part: 'alarms' }) ?? createLogger('fake-cloud', { part: 'alarms' });
    this.book = new AlarmStore(o.store);
    this.silence = new SilenceWatch(o.clock, o.store, (modemNo) => this.settingsOf(modemNo), (modemNo, f) => this.apply(modemNo, [f]), this.log);
  }

  /**
   * Starts judging: listens to the uplink's records and sessions, arms the silence timer, and
   * resumes sending the notifications left queued. Synchronous and idempotent.
   */
  start(): void {
    if (this.subscriptions.length) return;
    if (this.o.uplink) {
      this.subscriptions.push(
        this.o.uplink.onRecord((e) => this.onRecord(e)),
        this.o.uplink.onModemOnline((no) => this.contact(no)),
      );
    } else {
      this.subscriptions.push(() => {});
    }
    this.silence.start();
    this.notifier?.resume();
  }

  /** Stops judging and stops the notifier (waits for a message in flight). */
  async stop(): Promise<void> {
    for (const s of this.subscriptions) s();
    this.subscriptions = [];
    this.silence.stop();
    await this.notifier?.stop();
  }

  /**
   * Judges one record of a modem (what happens for every new record from the uplink); returns
   * the transitions it made. A record whose body does not validate is ignored.
   */
  handleRecord(modemNo: string, record: RuleRecord): AlarmTransition[] {
    const check = validateRecordBody(record.kind, record.body);
    if (!check.ok) return [];
    const r = { ...record, body: check.body };
    const ctx = this.context(modemNo);
    if (!ctx) return [];
    const findings: Finding[] = [];
    for (const { name, rule } of RECORD_RULES) {
      try {
        findings.push(...rule(ctx, r));
      } catch (err) {
        this.log.error({ modem: modemNo, seq: r.seq, rule: name, err: errorMessage(err) }, 'alarm rule failed');
        this.store.addCloudEvent(modemNo, 'alarm-rule-failed', ctx.now, { rule: name, seq: r.seq, text: errorMessage(err) });
      }
    }
    return this.apply(modemNo, findings, ctx.model);
  }

  /** The modem's alarms, newest first. Query: state (open, cleared), rule, limit. */
  list(modemNo: string, query: unknown = {}): AlarmView[] {
    requireModem(this.store, modemNo);
    const q = parseAlarmQuery(query, false);
    return this.book.list({ ...q, modemNo }).map(view);
  }

  /** Every modem's alarms, newest first. Query: state, rule, modem, limit. */
  all(query: unknown = {}): AlarmView[] {
    const q = parseAlarmQuery(query, true);
    return this.book.list(q).map(view);
  }

  /** The modem's rule settings (defaults until set). */
  rules(modemNo: string): Readonly<AlarmRuleSettings> {
    requireModem(this.store, modemNo);
    return this.book.settings(modemNo);
  }

  /**
   * Replaces the modem's rule settings (missing rules and fields take their defaults). Open
   * alarms of a rule switched off are cleared ("the rule was switched off"); the rest are judged
   * again at the next observation.
   */
  setRules(modemNo: string, input: unknown): Readonly<AlarmRuleSettings> {
    requireModem(this.store, modemNo);
    const s = parseRuleSettings(input);
    const now = Math.round(this.clock.now());
    this.book.setSettings(modemNo, s, now);
    const off = ALARM_RULES.filter((r) => !s[r].enabled);
    const findings = this.book.openOf(modemNo).filter((a) => off.includes(a.rule)).map((a): Finding => ({ rule: a.rule, subject: a.subject, about: a.about, at: Math.max(now, a.raisedAt), verdict: 'clear', text: 'the rule was switched off' }));
    this.apply(modemNo, findings);
    this.silence.refresh(modemNo);
    return this.book.settings(modemNo);
  }

  /** Due time of the modem's silence alarm (clock ms), while one is waited for. */
  silenceDue(modemNo: string): number | undefined {
    return this.silence.dueOf(modemNo);
  }

  private onRecord(e: StoredRecordEvent): void {
    try {
      this.contact(e.modemNo);
      if (!e.duplicate) this.handleRecord(e.modemNo, e.record);
    } catch (err) {
      this.log.error({ modem: e.modemNo, seq: e.record.seq, err: errorMessage(err) }, 'alarm evaluation failed');
    }
  }

  /**
   * The modem was heard from (the uplink's records and sessions call this): its silence is
   * counted anew, and an open silence alarm clears.
   */
  contact(modemNo: string): void {
    const now = Math.round(this.clock.now());
    this.silence.contact(modemNo, now);
    const open = this.book.open(modemNo, 'modem-silent', 'modem');
    if (open) {
      this.apply(modemNo, [{ rule: 'modem-silent', subject: 'modem', about: open.about, at: now, verdict: 'clear', text: `in contact again after ${duration(now - ((open.details?.['lastContact'] as number | undefined) ?? open.raisedAt))} of silence` }]);
    }
  }

  private context(modemNo: string): RuleContext | undefined {
    const m = this.store.modem(modemNo);
    if (!m) return undefined;
    return { modemNo, model: m.model ?? m.reportedModel, settings: this.settingsOf(modemNo), alarms: this.book, store: this.store, now: Math.round(this.clock.now()) };
  }

  /** The rule settings in force: the modem's own (or the defaults), with its site's send period. */
  private settingsOf(modemNo: string): AlarmRuleSettings {
    const s = this.book.settings(modemNo);
    let period: number | null | undefined;
    try {
      period = this.o.sendPeriodMin?.(modemNo);
    } catch {
      period = undefined; // no site settings to read: the rule settings' period
    }
    return typeof period === 'number' && period >= 1 && period !== s.sendPeriodMin ? { ...s, sendPeriodMin: period } : s;
  }

  /** Applies findings through the state machines, in one transaction; then sends the notices. */
  private apply(modemNo: string, findings: Finding[], model?: string | null): AlarmTransition[] {
    if (findings.length === 0) return [];
    const made: AlarmTransition[] = [];
    const notedAt = Math.round(this.clock.now());
    model ??= this.store.modem(modemNo)?.model ?? null;
    this.store.db.transaction(() => {
      for (const f of findings) {
        const mem = this.book.memory(modemNo, f.rule, f.subject);
        if (mem && f.at < mem.lastAt) continue;
        if (f.memory !== undefined) this.book.remember(modemNo, f.rule, f.subject, f.at, f.memory);
        const open = this.book.open(modemNo, f.rule, f.subject);
        let t: AlarmTransition | undefined;
        if (f.verdict === 'raise' && !open) {
          t = { transition: 'raised', alarm: this.book.raise({ modemNo, rule: f.rule, subject: f.subject, about: f.about, at: f.at, text: f.text, details: f.details, notedAt }) };
        } else if (f.verdict === 'clear' && open) {
          t = { transition: 'cleared', alarm: this.book.clear(open.id, { at: Math.max(f.at, open.raisedAt), text: f.text, details: f.details, notedAt }) };
        }
        if (!t) continue;
        made.push(t);
        this.notifier?.enqueue(notice(t, model));
      }
    })();
    for (const t of made) {
      for (const l of [...this.transitionListeners]) l(t);
      this.transitions.push(t);
      if (this.transitions.length > 10_000) this.transitions.shift();
      this.log.info({ modem: modemNo, alarm: t.alarm.id, rule: t.alarm.rule, subject: t.alarm.subject, transition: t.transition }, `alarm ${t.transition}`);
    }
    if (made.length) this.notifier?.kick();
    return made;
  }
}

function view(a: AlarmRow): AlarmView {
  return { ...a, title: RULE_TITLES[a.rule as AlarmRule] ?? a.rule, raised: isoTime(a.raisedAt), cleared: a.clearedAt === null ? null : isoTime(a.clearedAt) };
}

function notice(t: AlarmTransition, model: string | null): AlarmNotice {
  const a = t.alarm;
  const raised = t.transition === 'raised';
  const d = (raised ? a.details : a.clearDetails) ?? {};
  return {
    alarmId: a.id,
    modemNo: a.modemNo,
    kind: a.rule,
    title: RULE_TITLES[a.rule],
    about: a.about,
    transition: t.transition,
    at: raised ? a.raisedAt : a.clearedAt!,
    text: raised ? a.raisedText : a.clearedText!,
    value: typeof d.value === 'number' ? d.value : undefined,
    limit: typeof d.limit === 'number' ? d.limit : undefined,
    unit: typeof d.unit === 'string' ? d.unit : undefined,
    model,
  };
}

