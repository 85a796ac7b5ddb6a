/**
 * A modem's Modbus device settings, as its settings page holds them: addresses, types (compensation
 * relay, analyzer, energy meter, temperature/light sensor, I/O module), optional model, port.
 *
 * - A change (a list that differs from the stored one) is validated with the shared rules
 *   (`protocols/uplink/modbus-config.ts`; errors name the field: `devices[3].address: duplicate
 *   address 17 on rs485 …`), stored, bumps the modem's config version and queues a PUSH kind
 *   `config` with the whole list: sent at once when the modem is online, else at its next
 *   session (the push queue keeps it until acknowledged). Older config pushes still open are
 *   closed as superseded (not sent again).
 * - A PUSH_ACK ok of a config push records its version as the modem's acknowledged version; a
 *   refusal is kept as a `config-refused` cloud event with the terminal's text.
 * - At each session (WELCOME), when the acknowledged version is older than the cloud's and no
 *   push of the current version is open, the current config is queued again, so it goes out in
 *   that session (a refused config is pushed again at every session until it is fixed).
 */
import { isPeriodConfigBody } from '../../protocols/uplink/period-config.ts';
import { isIoConfigBody } from '../../protocols/uplink/io.ts';
import type { Clock } from '../../core/clock/index.ts';
import { checkModbusSettings, type ConfigPushBody, type ModbusDeviceSetting } from '../../protocols/uplink/modbus-config.ts';
import { ApiError } from '../api/errors.ts';
import type { PushRow, Store } from '../store/store.ts';
import type { UplinkServer } from '../uplink/server.ts';

/** What the settings page shows. */
export interface ModbusSettingsView {
  modemNo: string;
  devices: ModbusDeviceSetting[];
  /** The modem's config version (bumped by every change). */
  configVersion: number;
  /** The highest config version the modem acknowledged applying. */
  ackedVersion: number;
  /** Clock ms of the last change, or null. */
  updatedAt: number | null;
}

export class ModbusSettings {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly uplink?: UplinkServer,
  ) {
    uplink?.onModemOnline((no) => this.onModemOnline(no));
    uplink?.onPushAck((p) => this.onPushAck(p));
  }

  /** The modem's device list (throws `ApiError(404)` for an unknown modem). */
  view(modemNo: string): ModbusSettingsView {
    const m = this.store.db.prepare('SELECT config_version, config_acked_version, modbus_updated_at FROM modems WHERE modem_no = ?').get(modemNo) as Record<string, number | null> | undefined;
    if (!m) throw new ApiError(404, `modem ${modemNo} is not provisioned`);
    return {
      modemNo,
      devices: this.devices(modemNo),
      configVersion: m['config_version'] as number,
      ackedVersion: m['config_acked_version'] as number,
      updatedAt: m['modbus_updated_at'] ?? null,
    };
  }

  /**
   * Replaces the device list with `input` (`{ devices: [...] }`). Throws `ApiError(400)` naming
   * the field. A list equal to the stored one changes nothing (no new version, no push).
   */
  set(modemNo: string, input: unknown): ModbusSettingsView {
    this.view(modemNo);
    const c = checkModbusSettings(input);
    if (!c.ok) throw new ApiError(400, `modbus settings: ${c.message}`, c.field);
    const devices = c.value.devices.map(normalize);
    if (JSON.stringify(devices) === JSON.stringify(this.devices(modemNo))) return this.view(modemNo);
    const now = Math.round(this.clock.now());
    const version = this.store.db.transaction((): number => {
      this.store.db.prepare('DELETE FROM modbus_devices WHERE modem_no = ?').run(modemNo);
      const ins = this.store.db.prepare('INSERT INTO modbus_devices (modem_no, position, address, type, model, port) VALUES (?, ?, ?, ?, ?, ?)');
      devices.forEach((d, i) => ins.run(modemNo, i, d.address, d.type, d.model ?? null, d.port));
      this.store.db.prepare('UPDATE modems SET config_version = config_version + 1, modbus_updated_at = ? WHERE modem_no = ?').run(now, modemNo);
      const v = this.store.modem(modemNo)!.configVersion;
      for (const p of this.store.openPushes(modemNo)) {
        // Only an older Modbus config is superseded; an I/O config push (its own `io` body) stays.
        if (p.kind === 'config' && !isIoConfigBody(p.body) && !isPeriodConfigBody(p.body)) this.store.ackPush(modemNo, p.id, false, `superseded by config version ${v}`, now);
      }
      return v;
    })();
    const body: ConfigPushBody = { version, modbus: { devices } };
    if (this.uplink) this.uplink.push(modemNo, 'config', body);
    else this.store.queuePush(modemNo, 'config', body, now);
    return this.view(modemNo);
  }

  /** The config push body for the modem's current settings. */
  configBody(modemNo: string): ConfigPushBody {
    return { version: this.view(modemNo).configVersion, modbus: { devices: this.devices(modemNo) } };
  }

  private devices(modemNo: string): ModbusDeviceSetting[] {
    const rows = this.store.db.prepare('SELECT address, type, model, port FROM modbus_devices WHERE modem_no = ? ORDER BY position').all(modemNo) as Record<string, unknown>[];
    return rows.map((r) => normalize({ address: r['address'] as number, type: r['type'] as ModbusDeviceSetting['type'], model: (r['model'] as string | null) ?? undefined, port: r['port'] as ModbusDeviceSetting['port'] }));
  }

  private onModemOnline(modemNo: string): void {
    const v = this.view(modemNo);
    if (v.ackedVersion >= v.configVersion || v.configVersion === 0) return;
    const open = this.store.openPushes(modemNo).some((p) => p.kind === 'config' && (p.body as { version?: unknown } | null)?.version === v.configVersion);
    if (open) return;
    // Queued only: the session sends the modem's open pushes right after this.
    this.store.queuePush(modemNo, 'config', this.configBody(modemNo), Math.round(this.clock.now()));
  }

  private onPushAck(p: PushRow): void {
    if (p.kind !== 'config') return;
    const version = (p.body as { version?: unknown } | null)?.version;
    if (typeof version !== 'number') return;
    if (p.ok) {
      this.store.db.prepare('UPDATE modems SET config_acked_version = MAX(config_acked_version, ?) WHERE modem_no = ?').run(version, p.modemNo);
    } else {
      this.store.addCloudEvent(p.modemNo, 'config-refused', p.ackedAt ?? Math.round(this.clock.now()), { push: p.id, version, text: p.resultText });
    }
  }
}

/** Field order fixed and `model` left out when absent, so equal lists compare equal. */
function normalize(d: ModbusDeviceSetting): ModbusDeviceSetting {
  return d.model === undefined ? { address: d.address, type: d.type, port: d.port } : { address: d.address, type: d.type, model: d.model, port: d.port };
}
