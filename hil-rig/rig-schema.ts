/**
 * Schema of a rig file: the physical ports of a lab rig (by stable path), what each is wired to,
 * the physical devices present on each, the roles that stay emulated on a port, and the real
 * terminal if one is on the bench. `rig-file.ts` parses it and resolves the profiles.
 *
 *   rig: bench-1
 *   ports:
 *     - id: meter-bus                          # the line name in traces
 *       path: /dev/serial/by-id/usb-FTDI_…-if00-port0
 *       role: rs485-meter-bus
 *       echo: true                             # 2-wire adapter: hears what it sends
 *       meters:                                # physically on this bus
 *         - { brand: Landis, model: ZMD310, serial: '95316176' }
 *       emulate:                               # served here by an emulator, for a real terminal
 *         meters: [{ brand: Makel, serial: '80099921' }]
 *   terminal: { model: HT E21, usb: terminal-usb }
 */
import * as z from 'zod';

/** What a port is wired to. */
export const PORT_ROLES = ['rs485-meter-bus', 'rs485-modbus', 'optical-head', 'rs232', 'terminal-usb', 'modem'] as const;
export type RigPortRole = (typeof PORT_ROLES)[number];

/** Roles that carry IEC 62056-21 meters. */
export const METER_ROLES: readonly RigPortRole[] = ['rs485-meter-bus', 'optical-head', 'rs232'];
/** Roles that carry Modbus RTU devices (one device on RS-232). */
export const MODBUS_ROLES: readonly RigPortRole[] = ['rs485-modbus', 'rs232'];

const ID_RE = /^[a-z0-9][a-z0-9-]{0,39}$/;
const ID_ERROR = 'expected an id of lower case letters, digits and "-" (at most 40), e.g. "meter-bus"';
const SERIAL_ERROR = "expected 1 to 32 letters or digits, as text (quote it: serial: '00123')";

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.join(', ')}` });
}
const bool = z.boolean({ error: 'expected true or false' });
const text = (what: string) => z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}` });
const serial = z.string({ error: SERIAL_ERROR }).regex(/^[0-9A-Za-z]{1,32}$/, { error: SERIAL_ERROR });
const modbusAddress = z.number({ error: 'expected a Modbus address 1..247' }).int({ error: 'expected a Modbus address 1..247' }).min(1, { error: 'expected a Modbus address 1..247' }).max(247, { error: 'expected a Modbus address 1..247' });
const settings = z.string({ error: "expected line settings such as '9600 8N1' or '300 7E1'" });

/** A physical IEC 62056-21 meter on a port. */
export const RigMeterSchema = z.strictObject({
  /** Brand, alias or FLAG id as the meter profiles name it (`Landis`, `LGZ`, `Köhler`). */
  brand: text('a meter brand or FLAG id, e.g. "Landis"'),
  /** Model where the brand has several (exact or a unique prefix). */
  model: text('a model name, e.g. "ZMD310"').optional(),
  /** Serial number as printed on the meter. */
  serial,
  /** IEC device address sent in `/?ADDR!`; default the profile's prefix + the serial. */
  address: z.string({ error: 'expected the IEC device address as text' }).regex(/^[0-9A-Za-z ]{0,32}$/, { error: 'expected up to 32 letters, digits or spaces' }).optional(),
  /** A name for reports (`kitchen meter`). */
  name: text('a name').optional(),
});

/** A physical Modbus RTU device on a port. */
export const RigModbusSchema = z.strictObject({
  /** Model as the Modbus profiles name it (`Eastron SDM630`, `klemsan/rapidus`). */
  model: text('a Modbus device model, e.g. "Eastron SDM630"'),
  address: modbusAddress,
  serial: z.string({ error: 'expected 2 to 16 digits' }).regex(/^\d{2,16}$/, { error: 'expected 2 to 16 digits' }).optional(),
  name: text('a name').optional(),
});

/** A physical cellular module on a port (probed with `AT`). */
export const RigModemSchema = z.strictObject({
  module: text('a module name, e.g. "SIM800C"'),
  name: text('a name').optional(),
});

/** An emulated meter served on the port (same fields as a bus file of `ht-hil emulate meter`). */
export const EmulatedMeterSchema = z.strictObject({
  brand: text('a meter brand or FLAG id'),
  model: text('a model name').optional(),
  serial: serial.optional(),
  initialKwh: z.number({ error: 'expected a number of kWh ≥ 0' }).finite().nonnegative({ error: 'expected a number of kWh ≥ 0' }).optional(),
});

/** An emulated Modbus device served on the port. */
export const EmulatedModbusSchema = z.strictObject({
  model: text('a Modbus device model'),
  address: modbusAddress.optional(),
  serial: z.string({ error: 'expected 2 to 16 digits' }).regex(/^\d{2,16}$/, { error: 'expected 2 to 16 digits' }).optional(),
});

/** An emulated cellular module served on the port (the real terminal's modem UART). */
export const EmulatedModemSchema = z.strictObject({
  module: text('a module name: SIM800C or EC25-E'),
  sim: oneOf(['ready', 'pin', 'puk', 'absent']).optional(),
  signalDbm: z.number({ error: 'expected a signal level -120..-30 dBm' }).min(-120, { error: 'expected a signal level -120..-30 dBm' }).max(-30, { error: 'expected a signal level -120..-30 dBm' }).optional(),
  /** Where the module's TCP sockets go, `host:port` (default 127.0.0.1:7001). */
  cloud: text('host:port').optional(),
});

/** Roles that stay emulated on a port: an emulator serves them there for a real terminal. */
export const EmulateSchema = z.strictObject({
  meters: z.array(EmulatedMeterSchema, { error: 'expected a list of meters' }).optional(),
  modbus: z.array(EmulatedModbusSchema, { error: 'expected a list of Modbus devices' }).optional(),
  modem: EmulatedModemSchema.optional(),
});

export const RigPortSchema = z.strictObject({
  /** Line name in traces and reports. */
  id: z.string({ error: ID_ERROR }).regex(ID_RE, { error: ID_ERROR }),
  /** Stable device path, best `/dev/serial/by-id/…`. */
  path: z.string({ error: 'expected an absolute device path such as /dev/serial/by-id/usb-…' }).regex(/^\//, { error: 'expected an absolute device path such as /dev/serial/by-id/usb-…' }),
  role: oneOf(PORT_ROLES),
  /** Line settings; default by role (IEC 300 7E1, the Modbus devices' factory setting, 115200 8N1). */
  settings: settings.optional(),
  /** The adapter hears what it sends (2-wire RS-485 adapters with the receiver always on). */
  echo: bool.default(false),
  /** A sniffing adapter: never transmits (probe and emulators leave it alone). */
  listenOnly: bool.default(false),
  meters: z.array(RigMeterSchema, { error: 'expected a list of meters' }).default([]),
  modbus: z.array(RigModbusSchema, { error: 'expected a list of Modbus devices' }).default([]),
  modem: RigModemSchema.optional(),
  emulate: EmulateSchema.optional(),
  note: text('a note').optional(),
});

/** The real HT terminal on the bench; each of its ports is wired to the rig port of that role. */
export const RigTerminalSchema = z.strictObject({
  model: oneOf(['HT E21', 'HT E22', 'HT G21', 'HT G22', 'HT G23', 'HT G24', 'HT G25', 'HT G26']),
  serial: text('the terminal serial number').optional(),
  /** Modem number the terminal reports to the cloud with. */
  modemNo: z.string({ error: 'expected 6 to 12 digits' }).regex(/^\d{6,12}$/, { error: 'expected 6 to 12 digits' }).optional(),
  /** Id of the port (role terminal-usb) on the terminal's USB configuration port. */
  usb: z.string({ error: ID_ERROR }).regex(ID_RE, { error: ID_ERROR }).optional(),
});

export const RigFileSchema = z.strictObject({
  /** Name of the rig (bench), for reports. */
  rig: text('a rig name'),
  description: text('a description').optional(),
  ports: z.array(RigPortSchema, { error: 'expected a list of ports' }).min(1, { error: 'expected at least one port' }),
  terminal: RigTerminalSchema.optional(),
});

/** A rig file as written, defaults filled in (before profiles are resolved). */
export type RigFileData = z.output<typeof RigFileSchema>;
export type RigPortData = z.output<typeof RigPortSchema>;
export type RigMeterData = z.output<typeof RigMeterSchema>;
export type RigModbusData = z.output<typeof RigModbusSchema>;
export type RigModemData = z.output<typeof RigModemSchema>;
export type RigEmulateData = z.output<typeof EmulateSchema>;
export type EmulatedModemData = z.output<typeof EmulatedModemSchema>;
export type RigTerminal = z.output<typeof RigTerminalSchema>;
