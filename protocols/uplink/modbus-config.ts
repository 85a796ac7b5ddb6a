/**
 * Modbus device settings shared by the cloud (settings page, PUSH kind `config`) and the terminal
 * (which applies them): the device types a modem's settings page offers, the device list rules
 * of the installation manuals, and the `config` push body.
 *
 * Rules (HT installation manuals): Modbus RTU over RS-485 carries up to 247 devices on one line,
 * RS-232 carries one; every device on one line has its own address (1..247). A Grup Arge product
 * without a display answers on (last two digits of its serial) + 100; the address is what is
 * declared here, whatever rule chose it.
 */
import { z } from 'zod';
import { fieldPath } from './errors.ts';

/** The serial ports a Modbus device can be on. */
export const MODBUS_PORTS = ['rs485', 'rs232'] as const;
export type ModbusPort = (typeof MODBUS_PORTS)[number];

/**
 * Device types of the modem's settings page: compensation relay, analyzer, energy meter,
 * temperature/light sensor (`sensor`), I/O module.
 */
export const MODBUS_DEVICE_TYPES = ['compensation-relay', 'analyzer', 'energy-meter', 'sensor', 'io-module'] as const;
export type ModbusDeviceType = (typeof MODBUS_DEVICE_TYPES)[number];

/** Devices on one RS-485 line (the Modbus address space 1..247). */
export const MAX_MODBUS_DEVICES_RS485 = 247;
/** Devices on RS-232 (point to point). */
export const MAX_MODBUS_DEVICES_RS232 = 1;

/** One declared device. `model` picks the register map; without it the type's usual one is read. */
export interface ModbusDeviceSetting {
  address: number;
  type: ModbusDeviceType;
  model?: string | undefined;
  port: ModbusPort;
}

export interface ModbusSettings {
  devices: ModbusDeviceSetting[];
}

/** The body of a PUSH kind `config`: the whole Modbus device list and the config version it makes. */
export interface ConfigPushBody {
  version: number;
  modbus: ModbusSettings;
}

const deviceSchema = z.strictObject({
  address: z.number({ error: 'expected a Modbus address 1..247' }).int({ error: 'expected a whole number 1..247' }).min(1, { error: 'expected a Modbus address 1..247' }).max(247, { error: 'expected a Modbus address 1..247 (248..255 are reserved)' }),
  type: z.enum(MODBUS_DEVICE_TYPES, { error: `expected one of ${MODBUS_DEVICE_TYPES.join(', ')}` }),
  model: z.string().trim().min(1, { error: 'expected a model name (or leave it out)' }).max(64).optional(),
  port: z.enum(MODBUS_PORTS, { error: 'expected rs485 or rs232' }).default('rs485'),
});

/** The device list with the per-line rules (unique addresses per line, one device on RS-232). */
export const ModbusSettingsSchema = z
  .strictObject({ devices: z.array(deviceSchema).max(MAX_MODBUS_DEVICES_RS485 + MAX_MODBUS_DEVICES_RS232, { error: `at most ${MAX_MODBUS_DEVICES_RS485} devices on RS-485 and ${MAX_MODBUS_DEVICES_RS232} on RS-232` }) })
  .superRefine((s, ctx) => {
    const seen = new Map<string, number>();
    let rs232: number | undefined;
    s.devices.forEach((d, i) => {
      if (d.port === 'rs232') {
        if (rs232 !== undefined) ctx.addIssue({ code: 'custom', path: ['devices', i, 'port'], message: `only one Modbus device on rs232 (devices[${rs232}] is there)` });
        rs232 ??= i;
      }
      const key = `${d.port}/${d.address}`;
      const first = seen.get(key);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['devices', i, 'address'], message: `duplicate address ${d.address} on ${d.port} (devices[${first}] has it)` });
      else seen.set(key, i);
    });
  });

/** The `config` push body. */
export const ConfigPushBodySchema = z.strictObject({
  version: z.number({ error: 'expected the config version, a whole number ≥ 1' }).int().min(1, { error: 'expected the config version, a whole number ≥ 1' }).max(Number.MAX_SAFE_INTEGER),
  modbus: ModbusSettingsSchema,
});

/** A check result: the parsed value, or the first problem with the field it sits in. */
export type SettingsCheck<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

function check<T>(schema: z.ZodType<T>, input: unknown, prefix: readonly PropertyKey[]): SettingsCheck<T> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const path = [...prefix, ...issue.path, ...(unknownKey !== undefined ? [unknownKey] : [])];
  const field = fieldPath(path) || '(body)';
  const text = unknownKey !== undefined ? 'unknown field' : issue.message;
  return { ok: false, field, message: `${field}: ${text}` };
}

/**
 * Checks a Modbus device list (`{ devices: [...] }`). Problems name the field, e.g.
 * `devices[3].address: duplicate address 17 on rs485 (devices[1] has it)`. `port` defaults to rs485.
 */
export function checkModbusSettings(input: unknown): SettingsCheck<ModbusSettings> {
  return check(ModbusSettingsSchema, input, []) as SettingsCheck<ModbusSettings>;
}

/** Checks a `config` push body; fields are named from the body (`modbus.devices[0].type`). */
export function checkConfigPushBody(input: unknown): SettingsCheck<ConfigPushBody> {
  return check(ConfigPushBodySchema, input, []) as SettingsCheck<ConfigPushBody>;
}
