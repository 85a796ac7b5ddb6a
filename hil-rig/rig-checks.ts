/**
 * The rig file rules beyond field types: unique port ids and paths; devices only on ports whose
 * role carries them, within the bus limits; unique Modbus addresses and meter serials per port;
 * no emulated roles on a listen-only port; `terminal.usb` names a terminal-usb port.
 */
import { METER_ROLES, MODBUS_ROLES, type RigPortData, type RigTerminal } from './rig-schema.ts';

/** Receives one problem: the field path and what is wrong. */
export type Report = (path: readonly PropertyKey[], message: string) => void;

/** Checks the ports and the terminal together; reports every problem. */
export function crossCheck(ports: readonly RigPortData[], terminal: RigTerminal | undefined, report: Report): void {
  const ids = new Map<string, number>();
  const paths = new Map<string, number>();
  ports.forEach((p, i) => {
    const base = ['ports', i];
    const firstId = ids.get(p.id);
    if (firstId !== undefined) report([...base, 'id'], `id "${p.id}" is already used by ports[${firstId}]`);
    else ids.set(p.id, i);
    const firstPath = paths.get(p.path);
    if (firstPath !== undefined) report([...base, 'path'], `path ${p.path} is already used by ports[${firstPath}]`);
    else paths.set(p.path, i);
    const e = p.emulate ?? {};
    const meterCount = p.meters.length + (e.meters?.length ?? 0);
    const modbusCount = p.modbus.length + (e.modbus?.length ?? 0);
    if (meterCount > 0 && !METER_ROLES.includes(p.role)) report([...base, p.meters.length ? 'meters' : 'emulate'], `a ${p.role} port carries no meters (meters go on ${METER_ROLES.join(', ')})`);
    if (modbusCount > 0 && !MODBUS_ROLES.includes(p.role)) report([...base, p.modbus.length ? 'modbus' : 'emulate'], `a ${p.role} port carries no Modbus devices (they go on ${MODBUS_ROLES.join(', ')})`);
    if ((p.modem || e.modem) && p.role !== 'modem') report([...base, p.modem ? 'modem' : 'emulate'], `a modem goes on a port with role modem, not ${p.role}`);
    if (p.modem && e.modem) report([...base, 'emulate', 'modem'], 'the port already has a physical modem');
    if ((p.role === 'optical-head' || p.role === 'rs232') && meterCount + modbusCount > 1) report(base, `one device on ${p.role === 'rs232' ? 'RS-232' : 'an optical head'}, got ${meterCount + modbusCount}`);
    if (meterCount > 32) report([...base, 'meters'], `at most 32 meters on one RS-485 line, got ${meterCount}`);
    if (p.listenOnly && p.emulate) report([...base, 'emulate'], 'a listen-only port cannot serve emulated devices');
    const addresses = new Map<number, string>();
    p.modbus.forEach((d, j) => {
      const seen = addresses.get(d.address);
      if (seen) report([...base, 'modbus', j, 'address'], `address ${d.address} is already used by ${seen}; each device on a line needs its own`);
      addresses.set(d.address, `modbus[${j}]`);
    });
    (e.modbus ?? []).forEach((d, j) => {
      const seen = d.address !== undefined ? addresses.get(d.address) : undefined;
      if (seen) report([...base, 'emulate', 'modbus', j, 'address'], `address ${d.address} is already used by ${seen}; each device on a line needs its own`);
    });
    const serials = new Map<string, string>();
    p.meters.forEach((m, j) => {
      const seen = serials.get(m.serial);
      if (seen) report([...base, 'meters', j, 'serial'], `serial ${m.serial} is already used by ${seen}`);
      serials.set(m.serial, `meters[${j}]`);
    });
    (e.meters ?? []).forEach((m, j) => {
      const seen = m.serial !== undefined ? serials.get(m.serial) : undefined;
      if (seen) report([...base, 'emulate', 'meters', j, 'serial'], `serial ${m.serial} is already used by ${seen}`);
    });
  });
  if (terminal?.usb !== undefined) {
    const i = ids.get(terminal.usb);
    if (i === undefined) report(['terminal', 'usb'], `no port has the id "${terminal.usb}" (ports: ${[...ids.keys()].join(', ')})`);
    else if (ports[i]!.role !== 'terminal-usb') report(['terminal', 'usb'], `port "${terminal.usb}" has role ${ports[i]!.role}, expected terminal-usb`);
  }
}
