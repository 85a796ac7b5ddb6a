/**
 * Site I/O on the cloud: per modem the "I/O support" flag and the weekly relay schedule (pushed
 * as PUSH kind `config` with an `io` key and their own version), manual relay commands (PUSH
 * kind `command`, `relay-set`), automation rules ("input N of modem A drives relay M of modem
 * B", the well–tank case), and the record of every input, relay and outage change.
 *
 * - I/O support off on the cloud: a relay command is refused here (409) with the reason.
 *   The terminal refuses commands as well while its own flag is off (settings not yet
 *   delivered); its reason is kept on the push and as an `io-command-refused` cloud event.
 * - Settings are re-queued at a modem's session when it has not acknowledged the current
 *   version and no push of it is open (like the Modbus settings).
 * - Rules act as input records arrive: the terminal sends an input change at once when its
 *   uplink is online (else at the next session). For every rule on that input, the cloud pushes
 *   `relay-set` (on = closed, or its opposite with `invert`) to the target modem: at once when
 *   it is online, else at its next session. A record older than the last one a rule acted on
 *   (a late resend) does not act again.
 */
import type { Clock } from '../../core/clock/index.ts';
import { checkIoSettings, type IoConfigPushBody, type IoRecordBody, type IoSettings, type RelaySetCommand } from '../../protocols/uplink/io.ts';
import { validateRecordBody } from '../../protocols/uplink/records.ts';
import { ApiError } from '../api/errors.ts';
import type { PushRow, Store } from '../store/store.ts';
import type { StoredRecordEvent, UplinkServer } from '../uplink/server.ts';
import { parseRelayInput, parseRuleInput } from './io-inputs.ts';

export interface IoSettingsView extends IoSettings {
  modemNo: string;
  ioVersion: number;
  ackedVersion: number;
  updatedAt: number | null;
}

export interface IoRule {
  id: number;
  from: { modemNo: string; input: number };
  to: { modemNo: string; output: number };
  invert: boolean;
  createdAt: number;
}

export interface IoChangeRow {
  seq: number;
  point: 'input' | 'output';
  n: number;
  on: boolean;
  cause: string | null;
  at: number;
}

type Row = Record<string, unknown>;

export class IoService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly uplink?: UplinkServer,
  ) {
    uplink?.onRecord((e) => this.onRecord(e));
    uplink?.onModemOnline((no) => this.onModemOnline(no));
    uplink?.onPushAck((p) => this.onPushAck(p));
  }

  /** The modem's I/O settings (defaults: off, no schedule, UTC+3). */
  settings(modemNo: string): IoSettingsView {
    this.store.requireModem(modemNo);
    const r = this.store.db.prepare('SELECT * FROM io_settings WHERE modem_no = ?').get(modemNo) as Row | undefined;
    return {
      modemNo,
      enabled: r ? r['enabled'] === 1 : false,
      schedule: r ? JSON.parse(r['schedule'] as string) : [],
      utcOffsetMin: r ? (r['utc_offset_min'] as number) : 180,
      ioVersion: r ? (r['io_version'] as number) : 0,
      ackedVersion: r ? (r['acked_version'] as number) : 0,
      updatedAt: r ? ((r['updated_at'] as number | null) ?? null) : null,
    };
  }

  /**
   * Replaces the settings (`{ enabled, schedule?, utcOffsetMin? }`). A change bumps the I/O
   * version and pushes it. Throws `ApiError(400)` naming the field (`schedule[0].on: …`).
   */
  setSettings(modemNo: string, input: unknown): IoSettingsView {
    const before = this.settings(modemNo);
    const c = checkIoSettings(input);
    if (!c.ok) throw new ApiError(400, `io settings: ${c.message}`, c.field);
    const s = c.value;
    if (s.enabled === before.enabled && s.utcOffsetMin === before.utcOffsetMin && JSON.stringify(s.schedule) === JSON.stringify(before.schedule)) return before;
    const now = Math.round(this.clock.now());
    const version = before.ioVersion + 1;
    this.store.db.transaction(() => {
      this.store.db
        .prepare(
          `INSERT INTO io_settings (modem_no, enabled, schedule, utc_offset_min, io_version, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (modem_no) DO UPDATE SET enabled = excluded.enabled, schedule = excluded.schedule, utc_offset_min = excluded.utc_offset_min, io_version = excluded.io_version, updated_at = excluded.updated_at`,
        )
        .run(modemNo, s.enabled ? 1 : 0, JSON.stringify(s.schedule), s.utcOffsetMin, version, now);
      for (const p of this.store.openPushes(modemNo)) {
        if (isIoConfig(p)) this.store.ackPush(modemNo, p.id, false, `superseded by io config version ${version}`, now);
      }
    })();
    this.pushOrQueue(modemNo, 'config', this.configBody(modemNo));
    return this.settings(modemNo);
  }

  /**
   * Switches relay `output` of the modem by hand (`{ output, on, until? }`). Throws 409 when I/O
   * support is off for the modem, 400 naming the field for a bad input.
   */
  setRelay(modemNo: string, input: unknown, source: 'manual' | 'automation' = 'manual'): PushRow {
    const s = this.settings(modemNo);
    const r = parseRelayInput(input);
    if (!s.enabled) throw new ApiError(409, `relay C${r.output}: I/O support is off for modem ${modemNo}`);
    const body: RelaySetCommand = { op: 'relay-set', output: r.output, on: r.on, ...(r.until !== undefined ? { until: r.until } : {}), ...(source === 'automation' ? { source } : {}) };
    return this.pushOrQueue(modemNo, 'command', body);
  }

  /** Adds "input `from.input` of modem `from.modemNo` drives relay `to.output` of `to.modemNo`". */
  addRule(input: unknown): IoRule {
    const r = parseRuleInput(input);
    this.settings(r.from.modemNo);
    this.settings(r.to.modemNo);
    const res = this.store.db
      .prepare('INSERT INTO io_rules (src_modem, src_input, dst_modem, dst_output, invert, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.from.modemNo, r.from.input, r.to.modemNo, r.to.output, r.invert ? 1 : 0, Math.round(this.clock.now()));
    return this.rules().find((x) => x.id === Number(res.lastInsertRowid))!;
  }

  rules(): IoRule[] {
    return (this.store.db.prepare('SELECT * FROM io_rules ORDER BY id').all() as Row[]).map((r) => ({
      id: r['id'] as number,
      from: { modemNo: r['src_modem'] as string, input: r['src_input'] as number },
      to: { modemNo: r['dst_modem'] as string, output: r['dst_output'] as number },
      invert: r['invert'] === 1,
      createdAt: r['created_at'] as number,
    }));
  }

  /** Removes a rule; 404 when there is none with that id. */
  deleteRule(id: number): void {
    if (this.store.db.prepare('DELETE FROM io_rules WHERE id = ?').run(id).changes === 0) throw new ApiError(404, `no io rule ${id}`);
  }

  /** Input and relay changes of a modem, oldest first. */
  changes(modemNo: string, q: { point?: 'input' | 'output'; n?: number } = {}): IoChangeRow[] {
    this.store.requireModem(modemNo);
    const rows = this.store.db.prepare('SELECT * FROM io_changes WHERE modem_no = ? ORDER BY at, seq').all(modemNo) as Row[];
    return rows
      .map((r) => ({ seq: r['seq'] as number, point: r['point'] as 'input' | 'output', n: r['n'] as number, on: r['on_state'] === 1, cause: (r['cause'] as string | null) ?? null, at: r['at'] as number }))
      .filter((r) => (q.point === undefined || r.point === q.point) && (q.n === undefined || r.n === q.n));
  }

  /** The `config` push body of the modem's current I/O settings. */
  configBody(modemNo: string): IoConfigPushBody {
    const s = this.settings(modemNo);
    return { ioVersion: Math.max(1, s.ioVersion), io: { enabled: s.enabled, schedule: s.schedule, utcOffsetMin: s.utcOffsetMin } };
  }

  private pushOrQueue(modemNo: string, kind: 'config' | 'command', body: unknown): PushRow {
    return this.uplink ? this.uplink.push(modemNo, kind, body) : this.store.queuePush(modemNo, kind, body, Math.round(this.clock.now()));
  }

  private onRecord(e: StoredRecordEvent): void {
    if (e.duplicate || e.record.kind !== 'io') return;
    const check = validateRecordBody('io', e.record.body);
    if (!check.ok) return;
    const b = check.body as IoRecordBody;
    const inserted = this.store.db
      .prepare('INSERT OR IGNORE INTO io_changes (modem_no, seq, point, n, on_state, cause, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.modemNo, e.record.seq, b.point, b.n, b.on ? 1 : 0, b.point === 'output' ? b.cause : null, e.record.at);
    if (inserted.changes === 0) return;
    this.store.db
      .prepare("INSERT INTO events (modem_no, seq, source, name, at, details) VALUES (?, ?, 'terminal', ?, ?, ?)")
      .run(e.modemNo, e.record.seq, b.point === 'input' ? 'input-change' : 'relay-change', e.record.at, JSON.stringify(b));
    if (b.point === 'input') this.automate(e.modemNo, b.n, b.on, e.record.at);
  }

  private automate(modemNo: string, input: number, closed: boolean, at: number): void {
    const rules = this.store.db.prepare('SELECT * FROM io_rules WHERE src_modem = ? AND src_input = ? ORDER BY id').all(modemNo, input) as Row[];
    for (const r of rules) {
      const last = r['last_at'] as number | null;
      if (last !== null && at < last) continue;
      this.store.db.prepare('UPDATE io_rules SET last_at = ? WHERE id = ?').run(at, r['id']);
      const dst = r['dst_modem'] as string;
      const on = r['invert'] === 1 ? !closed : closed;
      try {
        this.setRelay(dst, { output: r['dst_output'], on }, 'automation');
      } catch (err) {
        this.store.addCloudEvent(dst, 'io-rule-failed', Math.round(this.clock.now()), { rule: r['id'], text: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  private onModemOnline(modemNo: string): void {
    const s = this.settings(modemNo);
    if (s.ioVersion === 0 || s.ackedVersion >= s.ioVersion) return;
    if (this.store.openPushes(modemNo).some((p) => isIoConfig(p) && (p.body as { ioVersion?: unknown }).ioVersion === s.ioVersion)) return;
    this.store.queuePush(modemNo, 'config', this.configBody(modemNo), Math.round(this.clock.now()));
  }

  private onPushAck(p: PushRow): void {
    if (isIoConfig(p)) {
      const v = (p.body as { ioVersion?: unknown }).ioVersion;
      if (p.ok && typeof v === 'number') this.store.db.prepare('UPDATE io_settings SET acked_version = MAX(acked_version, ?) WHERE modem_no = ?').run(v, p.modemNo);
      else if (!p.ok) this.store.addCloudEvent(p.modemNo, 'io-config-refused', p.ackedAt ?? Math.round(this.clock.now()), { push: p.id, version: v, text: p.resultText });
    } else if (p.kind === 'command' && !p.ok && (p.body as { op?: unknown } | null)?.op === 'relay-set') {
      this.store.addCloudEvent(p.modemNo, 'io-command-refused', p.ackedAt ?? Math.round(this.clock.now()), { push: p.id, command: p.body, text: p.resultText });
    }
  }
}

function isIoConfig(p: PushRow): boolean {
  return p.kind === 'config' && p.body !== null && typeof p.body === 'object' && 'io' in (p.body as object);
}
