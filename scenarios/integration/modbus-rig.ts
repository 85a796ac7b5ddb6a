/**
 * The terminal's Modbus poller and emulated Modbus devices on one RS-485 bus and one virtual
 * clock, for the Modbus integration tests. The two sides meet only on the bus.
 */
import { VirtualClock } from '../../core/clock/index.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import { createModbusDevice, type ModbusDevice } from '../../emulators/modbus/device.ts';
import { loadModbusProfiles } from '../../emulators/modbus/profile-loader.ts';
import type { QuantityName } from '../../emulators/modbus/quantities.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import type { ModbusDeviceType } from '../../protocols/uplink/modbus-config.ts';
import type { ModbusReadingBody } from '../../protocols/uplink/records.ts';
import { shippedCatalog } from '../../terminal/modbus/catalog.ts';
import { ModbusPoller, type ModbusPollerRecord, type PolledDevice } from '../../terminal/modbus/poller.ts';
import type { ModbusMasterOptions } from '../../terminal/modbus/master.ts';
import type { RegisterSet } from '../../terminal/modbus/register-set.ts';

export const modbusProfiles = loadModbusProfiles();

/** A register set of the terminal's catalog (throws for an unknown one). */
export function registerSet(type: ModbusDeviceType, model?: string): RegisterSet {
  const f = shippedCatalog().find(type, model);
  if (!f.ok) throw new Error(f.message);
  return f.set;
}

/** A load without noise: measurements stay put, counters grow evenly. */
export function steadyLoad(kw = 40, pf = 0.85): SiteLoad {
  return new SiteLoad({ baseKw: kw, peakKw: kw, powerFactor: pf, noise: 0 });
}

export class ModbusRig {
  readonly clock = new VirtualClock();
  readonly bus = new Rs485Bus(this.clock, 'rs485');
  readonly port = this.bus.attach('terminal', { settings: MODBUS_DEFAULT });
  readonly records: ModbusPollerRecord[] = [];
  /** Frames the terminal put on the line. */
  requests = 0;
  readonly poller: ModbusPoller;

  constructor(master: Omit<ModbusMasterOptions, 'endpoint' | 'clock'> = {}) {
    this.bus.tap((e) => {
      if (e.kind === 'tx' && e.from === this.port.id) this.requests++;
    });
    this.poller = new ModbusPoller({ clock: this.clock, ports: { rs485: this.port }, sink: async (r) => void this.records.push(r), master });
  }

  /** An emulated device on the bus (by profile name, with its address or serial). */
  device(profile: string, o: { address?: number; serial?: string; load: SiteLoad; name?: string }): ModbusDevice {
    const name = o.name ?? `${profile}-${o.address ?? o.serial}`.replace(/[^A-Za-z0-9-]/g, '-');
    return createModbusDevice({
      profile, profiles: modbusProfiles, clock: this.clock, load: o.load,
      endpoint: this.bus.attach(name, { settings: MODBUS_DEFAULT }),
      ...(o.address !== undefined ? { address: o.address } : {}),
      ...(o.serial !== undefined ? { serial: o.serial } : {}),
    });
  }

  declare(devices: PolledDevice[]): void {
    this.poller.setDevices(devices);
  }

  /** Polls once at the next whole `periodMin` (as the terminal's schedule does). */
  async period(periodMin = 15): Promise<void> {
    const p = periodMin * 60_000;
    const next = Math.floor(this.clock.now() / p) * p + p;
    await this.clock.runUntil(next);
    await this.clock.run(this.poller.pollAll(), { label: 'modbus poll' });
  }

  readings(address?: number): ModbusReadingBody[] {
    return this.records.flatMap((r) => (r.kind === 'modbus-reading' && (address === undefined || r.body.address === address) ? [r.body] : []));
  }

  events(): string[] {
    return this.records.flatMap((r) => (r.kind === 'event' ? [`${r.body.name} ${String(r.body.details?.['address'] ?? '')}`.trim()] : []));
  }
}

/**
 * Checks every value of a reading against what the emulated device shows over the read window
 * (within the register's resolution); returns the mismatches as sentences.
 */
export function mismatches(body: ModbusReadingBody, device: ModbusDevice, set: RegisterSet): string[] {
  const out: string[] = [];
  for (const v of body.values ?? []) {
    const reg = set.values.find((r) => r.name === v.name);
    if (!reg) {
      out.push(`${v.name}: not in the register set`);
      continue;
    }
    const a = device.read(v.name as QuantityName, body.readStart) ?? 0;
    const b = device.read(v.name as QuantityName, body.readEnd) ?? 0;
    const tol = reg.type === 'f32' ? Math.max(1e-6 * Math.abs(b), 1e-6) : reg.bit !== undefined ? 0 : Math.abs(reg.scale) / 2 + 1e-9;
    if (v.value < Math.min(a, b) - tol || v.value > Math.max(a, b) + tol) out.push(`${v.name}: terminal ${v.value}, device ${a}..${b}`);
  }
  return out;
}
