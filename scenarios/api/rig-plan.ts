/**
 * Binds a scenario's site to a rig: which rig port the terminal's code opens for each of its
 * ports, and for every device of the site whether the rig has the real one or serves an emulated
 * stand-in on a port. A site needing something the rig lacks gets a reason naming it, and the
 * scenario is skipped.
 *
 * Rules (the rig file's roles, `hil-rig/rig-schema.ts`):
 * - The terminal's port for a role is the first port of that role that is not listen-only and
 *   serves nothing emulated (its own adapter): optical → `optical-head`, RS-232 meter → `rs232`,
 *   RS-485 meters → `rs485-meter-bus`, Modbus devices → `rs485-modbus`, its module → `modem`.
 * - A site device is physical when that port lists a device of the same profile (a meter's brand
 *   and model, a Modbus device's model), preferring the same serial or address; the terminal
 *   then reads the real one, by the rig's serial and address.
 * - Otherwise it is emulated on another port of the same role whose `emulate` list has that
 *   profile (an adapter on the same bus, or wired to the terminal's adapter); the emulator keeps
 *   the scenario's serial and address.
 * - Without a `modem` port the terminal's module stays emulated in process on a pty pair (it is
 *   part of the terminal, not of the site); a physical module is not supported (its sockets
 *   would need a public address for the in-process cloud).
 */
import type { MeterProfile } from '../../emulators/meters/profile-schema.ts';
import type { ModbusProfile } from '../../emulators/modbus/profile-schema.ts';
import type { Rig, RigModbusDevice, RigMeter, RigPort, RigPortRole } from '../../hil-rig/rig-file.ts';
import type { DeviceWant } from './line-factory.ts';

/** Where one site device is on the rig. */
export type RigPlace = { kind: 'physical'; port: RigPort; meter?: RigMeter; modbus?: RigModbusDevice } | { kind: 'emulated'; port: RigPort };

export interface RigPlan {
  readonly rig: Rig;
  /** The rig port the terminal opens, per terminal port. */
  readonly terminalPorts: Partial<Record<'optical' | 'rs232' | 'rs485' | 'modem', RigPort>>;
  /** Where each wanted device is, by `wantKey`. */
  readonly places: ReadonlyMap<string, RigPlace>;
}

/** What a site asks of a rig: its devices (profiles resolved) and whether its terminal has a module. */
export interface RigNeeds {
  devices: DeviceWant[];
  /** The main terminal talks to the cloud through a cellular module. */
  cellular: boolean;
}

/** The key of a wanted device: `optical`, `rs485[2]`, `modbus[0]`. */
export function wantKey(w: DeviceWant): string {
  return w.kind === 'modbus' ? `modbus[${w.index}]` : w.port === 'rs485' ? `rs485[${w.index}]` : w.port;
}

const ROLE_OF = { optical: 'optical-head', rs232: 'rs232', rs485: 'rs485-meter-bus', modbus: 'rs485-modbus' } as const satisfies Record<string, RigPortRole>;

function meterName(p: MeterProfile): string {
  return `${p.brand} ${p.model}`;
}
function modbusName(p: ModbusProfile): string {
  return `${p.vendor} ${p.model}`;
}
function sameMeter(a: MeterProfile, b: MeterProfile): boolean {
  return a.flag === b.flag && a.model === b.model;
}
function sameModbus(a: ModbusProfile, b: ModbusProfile): boolean {
  return modbusName(a) === modbusName(b);
}

/** True when a port serves something emulated (it is an emulator's adapter, not the terminal's). */
function servesEmulated(p: RigPort): boolean {
  return p.emulated.meters.length + p.emulated.modbus.length > 0 || p.emulated.modem !== undefined;
}

/** Plans the site on the rig, or says what the rig lacks. */
export function planRig(rig: Rig, needs: RigNeeds): { plan: RigPlan } | { lacking: string } {
  if (rig.terminal) return { lacking: `rig '${rig.name}' has a real ${rig.terminal.model} on the bench; scenarios run the terminal's code in process and do not drive a bench terminal` };
  const terminalPorts: Partial<Record<'optical' | 'rs232' | 'rs485' | 'modem', RigPort>> = {};
  const places = new Map<string, RigPlace>();
  const taken = new Set<object>();
  const ownPort = (role: RigPortRole) => rig.ports.find((p) => p.role === role && !p.listenOnly && !servesEmulated(p));
  const hasMeters = needs.devices.some((d) => d.kind === 'meter' && d.port === 'rs485');
  const hasModbus = needs.devices.some((d) => d.kind === 'modbus');
  if (hasMeters && hasModbus) {
    return { lacking: `the site has meters and Modbus devices on one RS-485 line; a rig port carries either (${ROLE_OF.rs485} or ${ROLE_OF.modbus})` };
  }
  for (const want of needs.devices) {
    const key = wantKey(want);
    const termPort = want.kind === 'modbus' ? 'rs485' : want.port;
    const role = want.kind === 'modbus' ? ROLE_OF.modbus : ROLE_OF[want.port];
    const what = want.kind === 'meter' ? `meter ${meterName(want.profile)} (${key})` : `Modbus device ${modbusName(want.profile)} (${key})`;
    const own = terminalPorts[termPort] ?? ownPort(role);
    if (!own) return { lacking: `rig '${rig.name}' has no ${role} port for the terminal to read the ${what} on` };
    terminalPorts[termPort] = own;
    const physical = want.kind === 'meter' ? pickMeter(own.meters, want.profile, want.serial, taken) : pickModbus(own.modbus, want.profile, want.address, taken);
    if (physical) {
      taken.add(physical);
      places.set(key, want.kind === 'meter' ? { kind: 'physical', port: own, meter: physical as RigMeter } : { kind: 'physical', port: own, modbus: physical as RigModbusDevice });
      continue;
    }
    const emulatedOn = rig.ports.find((p) => {
      if (p.role !== role || p === own) return false;
      const list = want.kind === 'meter' ? p.emulated.meters.filter((m) => sameMeter(m.profile, want.profile)) : p.emulated.modbus.filter((d) => sameModbus(d.profile, want.profile));
      const free = list.find((x) => !taken.has(x));
      if (free) taken.add(free);
      return free !== undefined;
    });
    if (!emulatedOn) return { lacking: `rig '${rig.name}' has no ${what}: none on port '${own.id}' and none emulated on another ${role} port` };
    places.set(key, { kind: 'emulated', port: emulatedOn });
  }
  if (needs.cellular) {
    const own = ownPort('modem');
    if (own?.modem) return { lacking: `rig '${rig.name}' has a physical ${own.modem.module} on port '${own.id}'; the in-process cloud is not reachable from a real module's network` };
    if (own) {
      const served = rig.ports.find((p) => p.role === 'modem' && p !== own && p.emulated.modem);
      if (!served) return { lacking: `rig '${rig.name}' has modem port '${own.id}' but no modem port that serves an emulated module` };
      terminalPorts.modem = own;
      places.set('modem', { kind: 'emulated', port: served });
    }
  }
  return { plan: { rig, terminalPorts, places } };
}

function pickMeter(list: readonly RigMeter[], profile: MeterProfile, serial: string, taken: Set<object>): RigMeter | undefined {
  const free = list.filter((m) => !taken.has(m) && sameMeter(m.profile, profile));
  return free.find((m) => m.serial === serial) ?? free[0];
}

function pickModbus(list: readonly RigModbusDevice[], profile: ModbusProfile, address: number | undefined, taken: Set<object>): RigModbusDevice | undefined {
  const free = list.filter((d) => !taken.has(d) && sameModbus(d.profile, profile));
  return free.find((d) => d.address === address) ?? free[0];
}
