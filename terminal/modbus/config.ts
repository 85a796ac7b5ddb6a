/**
 * The terminal's Modbus device list: checked when the cloud pushes it, kept in the terminal's
 * flash, applied from the next poll.
 *
 * A PUSH kind `config` carries `{ version, modbus: { devices } }` (`protocols/uplink`). The
 * terminal refuses, naming the field, a body that breaks the shared rules (addresses 1..247
 * unique per line, one device on RS-232, known types), a model it has no register set for, a
 * port it does not have, more devices than its model takes, or Modbus devices on a model that
 * reads meters only. A version older than the applied one is acknowledged and ignored (the
 * cloud pushes versions in order; an older one is a resend).
 *
 * Persistence: the applied list is written to `modbus-config.json` in the terminal's storage
 * (write to `.tmp`, fsync, rename, fsync the folder), so it survives a restart and a power cut,
 * as the real terminal keeps its settings in flash. The cloud also pushes the list again at a
 * session whose WELCOME finds the terminal's acknowledged version older than its own.
 */
import type { Clock } from '../../core/clock/index.ts';
import { checkConfigPushBody, type ConfigPushBody, type ModbusDeviceSetting } from '../../protocols/uplink/modbus-config.ts';
import { flashJson, type FlashJson } from '../flash-json.ts';
import type { TerminalModel } from '../models/schema.ts';
import type { OutboxFs } from '../uplink/outbox-fs.ts';
import type { RegisterSetCatalog } from './catalog.ts';
import type { PolledDevice } from './poller.ts';

/** The applied Modbus configuration: the cloud's version and the declared devices. */
export interface ModbusConfig {
  version: number;
  devices: ModbusDeviceSetting[];
}

export type ConfigCheck = { ok: true; config: ModbusConfig; devices: PolledDevice[] } | { ok: false; field: string; message: string };

/**
 * Checks a `config` push body for this terminal: the shared rules, then its own (register sets,
 * ports, model). Problems name the field from the body (`modbus.devices[2].model: …`).
 */
export function checkModbusConfig(body: unknown, ctx: { catalog: RegisterSetCatalog; model?: TerminalModel | undefined }): ConfigCheck {
  const c = checkConfigPushBody(body);
  if (!c.ok) return c;
  const { version, modbus } = c.value;
  const fail = (field: string, text: string): ConfigCheck => ({ ok: false, field, message: `${field}: ${text}` });
  const m = ctx.model;
  if (m && !m.reads.modbus && modbus.devices.length > 0) return fail('modbus.devices', `${m.model} reads meters only, not Modbus devices`);
  const devices: PolledDevice[] = [];
  let onRs485 = 0;
  for (const [i, d] of modbus.devices.entries()) {
    if (m && !m.ports[d.port]) return fail(`modbus.devices[${i}].port`, `${m.model} has no ${d.port} port`);
    if (d.port === 'rs485' && m && ++onRs485 > m.ports.maxModbusDevices) return fail(`modbus.devices[${i}]`, `${m.model} takes at most ${m.ports.maxModbusDevices} Modbus devices on rs485`);
    const found = ctx.catalog.find(d.type, d.model);
    if (!found.ok) return fail(`modbus.devices[${i}].${d.model === undefined ? 'type' : 'model'}`, found.message);
    devices.push({ address: d.address, type: d.type, port: d.port, set: found.set });
  }
  return { ok: true, config: { version, devices: modbus.devices }, devices };
}

const FILE = 'modbus-config.json';

/** The applied configuration in the terminal's storage, written atomically. */
export class ModbusConfigFile {
  private readonly file: FlashJson<ConfigPushBody>;

  constructor(o: { fs: OutboxFs; dir: string; clock: Clock }) {
    this.file = flashJson({ ...o, name: FILE, check: checkConfigPushBody });
    this.path = `${o.dir}/${FILE}`;
  }

  readonly path: string;

  /**
   * The stored configuration: `config` when there is none or it was read; `problem` says why a
   * stored file could not be used (the terminal then starts with no devices until the cloud
   * pushes them again).
   */
  async load(): Promise<{ config?: ModbusConfig; problem?: string }> {
    const { value, problem } = await this.file.load();
    if (problem) return { problem };
    return value ? { config: { version: value.version, devices: value.modbus.devices } } : {};
  }

  /** Writes the configuration; resolves once it is on stable storage. */
  async save(config: ModbusConfig): Promise<void> {
    await this.file.save({ version: config.version, modbus: { devices: config.devices } });
  }
}
