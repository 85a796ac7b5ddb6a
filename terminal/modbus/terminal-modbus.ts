/**
 * The Modbus side of a terminal in one object: the poller with a master per port, the device
 * list from the cloud (checked, kept in storage, applied from the next poll) and the handler of
 * `config` pushes. The terminal calls `start()` once at power-up, `pollAll()` each period, and
 * routes `config` pushes to `handleConfigPush`.
 */
import type { Clock } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import type { ModbusPort } from '../../protocols/uplink/modbus-config.ts';
import type { PushMessage } from '../../protocols/uplink/messages.ts';
import type { TerminalModel } from '../models/schema.ts';
import type { OutboxFs } from '../uplink/outbox-fs.ts';
import type { PushResult } from '../uplink/client-session.ts';
import { shippedCatalog, type RegisterSetCatalog } from './catalog.ts';
import { checkModbusConfig, ModbusConfigFile, type ModbusConfig } from './config.ts';
import type { ModbusMasterOptions } from './master.ts';
import { ModbusPoller, type DevicePollResult, type ModbusPollerRecord } from './poller.ts';

export interface TerminalModbusOptions {
  clock: Clock;
  /** The terminal model: its ports and Modbus limits are checked against pushed configs. */
  model?: TerminalModel;
  /** Serial ports the Modbus devices are on. */
  ports: Partial<Record<ModbusPort, Endpoint>>;
  /** Receives each record; resolves once it is stored durably. */
  sink: (record: ModbusPollerRecord) => Promise<void>;
  /** Where the applied config is kept (the terminal's flash). Without it the list lives in memory only. */
  storage?: { fs: OutboxFs; dir: string };
  /** Register sets (default: the shipped `device-types/`). */
  catalog?: RegisterSetCatalog;
  master?: Omit<ModbusMasterOptions, 'endpoint' | 'clock'>;
  activity?: (port: ModbusPort, busy: boolean) => void;
}

export class TerminalModbus {
  readonly poller: ModbusPoller;
  private readonly catalog: RegisterSetCatalog;
  private readonly file: ModbusConfigFile | undefined;
  private applied: ModbusConfig = { version: 0, devices: [] };

  constructor(private readonly o: TerminalModbusOptions) {
    this.catalog = o.catalog ?? shippedCatalog();
    this.file = o.storage ? new ModbusConfigFile({ ...o.storage, clock: o.clock }) : undefined;
    this.poller = new ModbusPoller({
      clock: o.clock,
      ports: o.ports,
      sink: o.sink,
      ...(o.activity ? { activity: o.activity } : {}),
      ...(o.master ? { master: o.master } : {}),
    });
  }

  /** The applied configuration (version 0 and no devices until the cloud sends one). */
  get config(): ModbusConfig {
    return this.applied;
  }

  /**
   * Loads the stored configuration. A stored list that no longer passes (a register set gone
   * after a firmware change, a corrupt file) is dropped with a `modbus-config-dropped` event.
   */
  async start(): Promise<void> {
    if (!this.file) return;
    const { config, problem } = await this.file.load();
    let why = problem;
    if (config) {
      const c = checkModbusConfig({ version: config.version, modbus: { devices: config.devices } }, { catalog: this.catalog, model: this.o.model });
      if (c.ok) {
        this.applied = c.config;
        this.poller.setDevices(c.devices);
        return;
      }
      why = c.message;
    }
    if (why) await this.o.sink({ kind: 'event', at: Math.round(this.o.clock.now()), body: { name: 'modbus-config-dropped', details: { reason: why.slice(0, 256) } } });
  }

  /**
   * Handles a PUSH kind `config`: checks it, applies it from the next poll and stores it.
   * Refusals name the field (`modbus.devices[3].address: duplicate address 17 on rs485 …`).
   */
  async handleConfigPush(push: Pick<PushMessage, 'kind' | 'body'>): Promise<PushResult> {
    if (push.kind !== 'config') return { ok: false, text: `not a config push: ${push.kind}` };
    const c = checkModbusConfig(push.body, { catalog: this.catalog, model: this.o.model });
    if (!c.ok) return { ok: false, text: c.message };
    if (c.config.version < this.applied.version) return { ok: true, text: `version ${c.config.version} is older than the applied version ${this.applied.version}: ignored` };
    this.applied = c.config;
    this.poller.setDevices(c.devices);
    if (this.file) {
      try {
        await this.file.save(c.config);
      } catch (err) {
        return { ok: false, text: `applied, but not stored: ${errorMessage(err)}`.slice(0, 256) };
      }
    }
    return { ok: true, text: `version ${c.config.version}: ${c.devices.length} Modbus device${c.devices.length === 1 ? '' : 's'}` };
  }

  /** Reads every declared device once and stores the records. */
  pollAll(signal?: AbortSignal): Promise<DevicePollResult[]> {
    return this.poller.pollAll(signal);
  }

  dispose(): void {
    this.poller.dispose();
  }
}
