/**
 * What a site's spec asks for, resolved: the devices on its lines with their profiles and
 * serials (`siteWants`, also what a rig is asked for), and the small naming rules the site
 * builder applies to them.
 */
import { findMeterProfile, loadMeterProfiles } from '../../emulators/meters/profile-loader.ts';
import type { MeterProfile } from '../../emulators/meters/profile-schema.ts';
import { findModbusProfile, loadModbusProfiles } from '../../emulators/modbus/profile-loader.ts';
import type { ModbusProfile } from '../../emulators/modbus/profile-schema.ts';
import type { DeviceWant } from './line-factory.ts';
import type { MeterSpec, ValidSiteSpec } from './site-spec.ts';

let profileCache: MeterProfile[] | undefined;
function profiles(): MeterProfile[] {
  return (profileCache ??= loadMeterProfiles().map((l) => l.profile));
}

let modbusProfileCache: ReturnType<typeof loadModbusProfiles> | undefined;
function modbusProfiles(): ReturnType<typeof loadModbusProfiles> {
  return (modbusProfileCache ??= loadModbusProfiles());
}

function meterProfileFor(spec: MeterSpec, where: string): MeterProfile {
  const p = findMeterProfile(spec.brand, spec.model, profiles());
  if (!p) throw new Error(`${where}: no meter profile for brand '${spec.brand}'${spec.model ? ` model '${spec.model}'` : ''}`);
  return p;
}

/**
 * The devices a site puts on its lines, profiles resolved, serials as the emulators will have
 * them: what a rig is asked for. Throws for an unknown brand or model, naming the field.
 */
export function siteWants(spec: ValidSiteSpec): DeviceWant[] {
  const out: DeviceWant[] = [];
  for (const port of ['optical', 'rs232'] as const) {
    const m = spec[port];
    if (!m) continue;
    const profile = meterProfileFor(m, `site.${port}`);
    out.push({ kind: 'meter', port, index: 0, profile, serial: m.serial ?? profile.serialNumber.example });
  }
  (spec.rs485?.meters ?? []).forEach((m, i) => {
    const profile = meterProfileFor(m, `site.rs485.meters[${i}]`);
    out.push({ kind: 'meter', port: 'rs485', index: i, profile, serial: m.serial ?? uniqueSerial(profile.serialNumber.example, i) });
  });
  (spec.modbus?.devices ?? []).forEach((d, i) => {
    const p = findModbusProfile(d.model, modbusProfiles());
    if (!p) throw new Error(`site.modbus.devices[${i}].model: no Modbus profile '${d.model}'`);
    out.push({ kind: 'modbus', index: i, profile: p, address: d.address });
  });
  return out;
}

/** The wanted device that `match` picks; throws when the wants do not have it. */
export function wantOf(wants: DeviceWant[], match: (w: DeviceWant) => boolean): DeviceWant {
  const w = wants.find(match);
  if (!w) throw new Error('site device missing from its wants');
  return w;
}

/** The device type the cloud's settings page uses for a profile's class. */
export function terminalType(p: ModbusProfile): string {
  return { 'compensation-relay': 'compensation-relay', 'energy-analyzer': 'analyzer', 'io-module': 'io-module', sensor: 'sensor' }[p.class];
}

/** The profile's example serial with its last digits replaced by the position on the bus. */
export function uniqueSerial(example: string, i: number): string {
  const tail = String(i + 1).padStart(2, '0');
  return example.slice(0, Math.max(0, example.length - tail.length)) + tail;
}
