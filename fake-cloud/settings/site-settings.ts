/**
 * A modem's site settings (`site_settings`, migration 4): location, send period, alarm
 * recipients (rules in `site-settings-input.ts`).
 *
 * - A change of the send period bumps the modem's period version and pushes PUSH kind `config`
 *   `{ periodVersion, sendPeriodMin }` (`protocols/uplink/period-config.ts`): at once when the
 *   modem is online, else at its next session. Older open period pushes are closed as
 *   superseded. A PUSH_ACK ok records the version as acknowledged; a refusal becomes a
 *   `period-config-refused` cloud event.
 * - At each session, when the acknowledged period version is older than the cloud's and no push
 *   of the current version is open, the period is queued again (it then goes out in that session).
 * - Until the period is first set here, `sendPeriodMin` is null: the terminal keeps its own.
 */
import type { Clock } from '../../core/clock/index.ts';
import { isPeriodConfigBody, type PeriodConfigPushBody } from '../../protocols/uplink/period-config.ts';
import { ApiError } from '../api/errors.ts';
import type { PushRow, Store } from '../store/store.ts';
import type { UplinkServer } from '../uplink/server.ts';
import { checkSiteSettings, type AlarmRecipient, type SiteLocation } from './site-settings-input.ts';

/** What the settings page shows. */
export interface SiteSettingsView {
  modemNo: string;
  location: SiteLocation | null;
  /** Minutes; null until set from the cloud (the terminal keeps its own period). */
  sendPeriodMin: number | null;
  /** Changes of the period made here. */
  periodVersion: number;
  /** The highest period version the modem acknowledged applying. */
  periodAckedVersion: number;
  recipients: AlarmRecipient[];
  /** Clock ms of the last change, or null. */
  updatedAt: number | null;
}

type Row = Record<string, unknown>;

export class SiteSettings {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly uplink?: UplinkServer,
  ) {
    uplink?.onModemOnline((no) => this.onModemOnline(no));
    uplink?.onPushAck((p) => this.onPushAck(p));
  }

  /** The modem's settings (404 for an unknown modem). */
  view(modemNo: string): SiteSettingsView {
    if (!this.store.modem(modemNo)) throw new ApiError(404, `modem ${modemNo} is not provisioned`);
    const r = this.store.db.prepare('SELECT * FROM site_settings WHERE modem_no = ?').get(modemNo) as Row | undefined;
    return {
      modemNo,
      location: r?.['location'] ? (JSON.parse(r['location'] as string) as SiteLocation) : null,
      sendPeriodMin: (r?.['send_period_min'] as number | null | undefined) ?? null,
      periodVersion: (r?.['period_version'] as number | undefined) ?? 0,
      periodAckedVersion: (r?.['period_acked_version'] as number | undefined) ?? 0,
      recipients: r ? (JSON.parse(r['recipients'] as string) as AlarmRecipient[]) : [],
      updatedAt: (r?.['updated_at'] as number | null | undefined) ?? null,
    };
  }

  /**
   * Applies a change (`{ location?, sendPeriodMin?, recipients? }`: each field present replaces
   * that part). Throws `ApiError(400)` naming the field. A new send period is pushed.
   */
  set(modemNo: string, input: unknown): SiteSettingsView {
    const before = this.view(modemNo);
    const c = checkSiteSettings(input);
    if (!c.ok) throw new ApiError(400, `site settings: ${c.message}`, c.field);
    const location = c.value.location === undefined ? before.location : c.value.location;
    const recipients = c.value.recipients ?? before.recipients;
    const period = c.value.sendPeriodMin ?? before.sendPeriodMin;
    const periodChanged = period !== before.sendPeriodMin;
    if (!periodChanged && JSON.stringify(location) === JSON.stringify(before.location) && JSON.stringify(recipients) === JSON.stringify(before.recipients)) return before;
    const now = Math.round(this.clock.now());
    const version = before.periodVersion + (periodChanged ? 1 : 0);
    this.store.db.transaction(() => {
      this.store.db
        .prepare(
          `INSERT INTO site_settings (modem_no, location, recipients, send_period_min, period_version, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (modem_no) DO UPDATE SET location = excluded.location, recipients = excluded.recipients, send_period_min = excluded.send_period_min,
             period_version = excluded.period_version, updated_at = excluded.updated_at`,
        )
        .run(modemNo, location === null ? null : JSON.stringify(location), JSON.stringify(recipients), period, version, now);
      if (periodChanged) {
        for (const p of this.store.openPushes(modemNo)) {
          if (p.kind === 'config' && isPeriodConfigBody(p.body)) this.store.ackPush(modemNo, p.id, false, `superseded by period version ${version}`, now);
        }
      }
    })();
    if (periodChanged) this.pushOrQueue(modemNo, this.configBody(modemNo)!);
    return this.view(modemNo);
  }

  /** The send-period `config` push body of the modem, or undefined while the period was never set here. */
  configBody(modemNo: string): PeriodConfigPushBody | undefined {
    const v = this.view(modemNo);
    return v.sendPeriodMin === null ? undefined : { periodVersion: v.periodVersion, sendPeriodMin: v.sendPeriodMin };
  }

  /** Who receives alarms of `kind` for the modem: e-mail addresses and phone numbers. */
  recipientsFor(modemNo: string, kind: string): { emails: string[]; phones: string[] } {
    const out = { emails: [] as string[], phones: [] as string[] };
    for (const r of this.view(modemNo).recipients) {
      if (r.alarms !== 'all' && !r.alarms.includes(kind)) continue;
      if (r.email) out.emails.push(r.email);
      if (r.phone) out.phones.push(r.phone);
    }
    return out;
  }

  /**
   * The modem's alarm recipients as the notifications read them (`kinds`: alarm kinds, `*` for
   * every kind); an empty list for a modem without settings or an unknown one (never throws).
   */
  recipients(modemNo: string): { email?: string; phone?: string; kinds: string[] }[] {
    const r = this.store.db.prepare('SELECT recipients FROM site_settings WHERE modem_no = ?').get(modemNo) as Row | undefined;
    const list = r ? (JSON.parse(r['recipients'] as string) as AlarmRecipient[]) : [];
    return list.map((x) => ({ ...(x.email ? { email: x.email } : {}), ...(x.phone ? { phone: x.phone } : {}), kinds: x.alarms === 'all' ? ['*'] : [...x.alarms] }));
  }

  private pushOrQueue(modemNo: string, body: PeriodConfigPushBody): void {
    if (this.uplink) this.uplink.push(modemNo, 'config', body);
    else this.store.queuePush(modemNo, 'config', body, Math.round(this.clock.now()));
  }

  private onModemOnline(modemNo: string): void {
    const body = this.configBody(modemNo);
    if (!body || this.view(modemNo).periodAckedVersion >= body.periodVersion) return;
    if (this.store.openPushes(modemNo).some((p) => p.kind === 'config' && isPeriodConfigBody(p.body) && (p.body as PeriodConfigPushBody).periodVersion === body.periodVersion)) return;
    // Queued only: the session sends the modem's open pushes right after this.
    this.store.queuePush(modemNo, 'config', body, Math.round(this.clock.now()));
  }

  private onPushAck(p: PushRow): void {
    if (p.kind !== 'config' || !isPeriodConfigBody(p.body)) return;
    const v = (p.body as { periodVersion?: unknown }).periodVersion;
    if (p.ok && typeof v === 'number') {
      this.store.db.prepare('UPDATE site_settings SET period_acked_version = MAX(period_acked_version, ?) WHERE modem_no = ?').run(v, p.modemNo);
    } else if (!p.ok) {
      this.store.addCloudEvent(p.modemNo, 'period-config-refused', p.ackedAt ?? Math.round(this.clock.now()), { push: p.id, version: v, text: p.resultText });
    }
  }
}
