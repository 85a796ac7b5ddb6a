/**
 * The alarm tables (migration 5): alarms with their two transitions, what each rule remembers
 * per subject between observations, and the per-modem rule settings. At most one alarm per
 * (modem, rule, subject) is open at a time (a unique partial index holds the database to it).
 */
import type { Store } from '../store/store.ts';
import { defaultRuleSettings, parseRuleSettings, type AlarmRule, type AlarmRuleSettings } from './rule-settings.ts';
import { sql } from '../notify/sql.ts';

/** Facts a finding carries: the measured value, the limit it was judged against, its unit, more. */
export interface AlarmDetails {
  value?: number;
  limit?: number;
  unit?: string;
  [key: string]: unknown;
}

export interface AlarmRow {
  id: number;
  modemNo: string;
  rule: AlarmRule;
  subject: string;
  about: string;
  state: 'open' | 'cleared';
  /** When the condition began (the fact's time, clock ms). */
  raisedAt: number;
  raisedText: string;
  details: AlarmDetails | null;
  /** When the cloud raised it. */
  notedAt: number;
  clearedAt: number | null;
  clearedText: string | null;
  clearDetails: AlarmDetails | null;
  clearedNotedAt: number | null;
}

export interface AlarmQuery {
  modemNo?: string | undefined;
  state?: 'open' | 'cleared' | undefined;
  rule?: string | undefined;
  limit?: number | undefined;
}

export interface Memory<T = unknown> {
  lastAt: number;
  data: T;
}

type Row = Record<string, unknown>;

export class AlarmStore {
  private readonly settingsCache = new Map<string, AlarmRuleSettings>();

  constructor(readonly store: Store) {}

  private get db() {
    return this.store.db;
  }

  /** The open alarm of (modem, rule, subject), if any. */
  open(modemNo: string, rule: AlarmRule, subject: string): AlarmRow | undefined {
    const r = sql(this.db, "SELECT * FROM alarms WHERE modem_no = ? AND rule = ? AND subject = ? AND state = 'open'").get(modemNo, rule, subject) as Row | undefined;
    return r ? toAlarm(r) : undefined;
  }

  /** Open alarms of a modem (of one rule), oldest first. */
  openOf(modemNo: string, rule?: AlarmRule): AlarmRow[] {
    return this.list({ modemNo, state: 'open', ...(rule ? { rule } : {}) });
  }

  get(id: number): AlarmRow | undefined {
    const r = sql(this.db, 'SELECT * FROM alarms WHERE id = ?').get(id) as Row | undefined;
    return r ? toAlarm(r) : undefined;
  }

  /** Opens an alarm; throws when one is already open for the key (callers check first). */
  raise(a: { modemNo: string; rule: AlarmRule; subject: string; about: string; at: number; text: string; details?: AlarmDetails | undefined; notedAt: number }): AlarmRow {
    const res = sql(this.db, "INSERT INTO alarms (modem_no, rule, subject, about, state, raised_at, raised_text, details, noted_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?)")
      .run(a.modemNo, a.rule, a.subject, a.about, a.at, a.text, a.details ? JSON.stringify(a.details) : null, a.notedAt);
    return this.get(Number(res.lastInsertRowid))!;
  }

  /** Clears an open alarm. */
  clear(id: number, c: { at: number; text: string; details?: AlarmDetails | undefined; notedAt: number }): AlarmRow {
    sql(this.db, "UPDATE alarms SET state = 'cleared', cleared_at = ?, cleared_text = ?, clear_details = ?, cleared_noted_at = ? WHERE id = ? AND state = 'open'")
      .run(c.at, c.text, c.details ? JSON.stringify(c.details) : null, c.notedAt, id);
    return this.get(id)!;
  }

  /** Alarms, newest raised first. */
  list(q: AlarmQuery = {}): AlarmRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.modemNo !== undefined) {
      where.push('modem_no = ?');
      args.push(q.modemNo);
    }
    if (q.state !== undefined) {
      where.push('state = ?');
      args.push(q.state);
    }
    if (q.rule !== undefined) {
      where.push('rule = ?');
      args.push(q.rule);
    }
    const text = `SELECT * FROM alarms ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY raised_at DESC, id DESC LIMIT ?`;
    return (sql(this.db, text).all(...args, q.limit ?? 1000) as Row[]).map(toAlarm);
  }

  /** Ids of every alarm of these modems. */
  idsOf(modemNos: readonly string[]): Set<number> {
    const ids = new Set<number>();
    for (const no of modemNos) for (const r of sql(this.db, 'SELECT id FROM alarms WHERE modem_no = ?').all(no) as Row[]) ids.add(r['id'] as number);
    return ids;
  }

  memory<T>(modemNo: string, rule: AlarmRule, subject: string): Memory<T> | undefined {
    const r = sql(this.db, 'SELECT last_at, data FROM alarm_memory WHERE modem_no = ? AND rule = ? AND subject = ?').get(modemNo, rule, subject) as Row | undefined;
    return r ? { lastAt: r['last_at'] as number, data: JSON.parse(r['data'] as string) as T } : undefined;
  }

  remember(modemNo: string, rule: AlarmRule, subject: string, lastAt: number, data: unknown): void {
    sql(this.db, 'INSERT INTO alarm_memory (modem_no, rule, subject, last_at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (modem_no, rule, subject) DO UPDATE SET last_at = excluded.last_at, data = excluded.data')
      .run(modemNo, rule, subject, lastAt, JSON.stringify(data ?? null));
  }

  /** Subjects a rule remembers for a modem, with their memory. */
  memories<T>(modemNo: string, rule: AlarmRule): { subject: string; memory: Memory<T> }[] {
    return (sql(this.db, 'SELECT subject, last_at, data FROM alarm_memory WHERE modem_no = ? AND rule = ? ORDER BY subject').all(modemNo, rule) as Row[]).map((r) => ({
      subject: r['subject'] as string,
      memory: { lastAt: r['last_at'] as number, data: JSON.parse(r['data'] as string) as T },
    }));
  }

  /**
   * The modem's rule settings (the defaults until set), frozen. Read once, then kept until
   * changed here.
   */
  settings(modemNo: string): Readonly<AlarmRuleSettings> {
    let s = this.settingsCache.get(modemNo);
    if (!s) {
      const r = sql(this.db, 'SELECT rules FROM alarm_rules WHERE modem_no = ?').get(modemNo) as Row | undefined;
      // Stored settings were validated when set; parsing again fills in fields added since.
      s = r ? parseRuleSettings(JSON.parse(r['rules'] as string)) : defaultRuleSettings();
      this.settingsCache.set(modemNo, deepFreeze(s));
    }
    return s;
  }

  setSettings(modemNo: string, s: AlarmRuleSettings, at: number): void {
    this.settingsCache.delete(modemNo);
    sql(this.db, 'INSERT INTO alarm_rules (modem_no, rules, updated_at) VALUES (?, ?, ?) ON CONFLICT (modem_no) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at')
      .run(modemNo, JSON.stringify(s), at);
  }
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

function json(v: unknown): AlarmDetails | null {
  return v === null || v === undefined ? null : (JSON.parse(v as string) as AlarmDetails);
}

function toAlarm(r: Row): AlarmRow {
  return {
    id: r['id'] as number,
    modemNo: r['modem_no'] as string,
    rule: r['rule'] as AlarmRule,
    subject: r['subject'] as string,
    about: r['about'] as string,
    state: r['state'] as 'open' | 'cleared',
    raisedAt: r['raised_at'] as number,
    raisedText: r['raised_text'] as string,
    details: json(r['details']),
    notedAt: r['noted_at'] as number,
    clearedAt: (r['cleared_at'] as number | null) ?? null,
    clearedText: (r['cleared_text'] as string | null) ?? null,
    clearDetails: json(r['clear_details']),
    clearedNotedAt: (r['cleared_noted_at'] as number | null) ?? null,
  };
}
