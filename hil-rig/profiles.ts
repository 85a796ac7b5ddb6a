/** The shipped meter and Modbus profiles, read once per process (reading them takes about a second). */
import { loadMeterProfiles } from '../emulators/meters/profile-loader.ts';
import type { MeterProfile } from '../emulators/meters/profile-schema.ts';
import { loadModbusProfiles, type LoadedModbusProfile } from '../emulators/modbus/profile-loader.ts';

let meters: MeterProfile[] | undefined;
let modbus: LoadedModbusProfile[] | undefined;

/** Every shipped meter brand profile. */
export function shippedMeterProfiles(): readonly MeterProfile[] {
  meters ??= loadMeterProfiles().map((l) => l.profile);
  return meters;
}

/** Every shipped Modbus device profile. */
export function shippedModbusProfiles(): readonly LoadedModbusProfile[] {
  modbus ??= loadModbusProfiles();
  return modbus;
}
