/**
 * The HT terminal: its model and configuration, the meter poller on its serial ports, the
 * durable outbox and the uplink to the cloud, and its LEDs.
 *
 * Each send period (aligned to the clock: a 15-minute terminal polls at :00, :15, :30, :45) it
 * reads every configured meter, then every Modbus device declared on the cloud (models that read
 * Modbus), and appends one record per meter or device to the outbox; the uplink sends
 * what the outbox holds whenever it is online. A record counts as queued only once the outbox
 * has it on disk, so a power cut loses at most the reading being taken.
 */
import { join } from 'node:path';
import type { Clock, Timer } from '../core/clock/index.ts';
import { errorMessage } from '../core/errors.ts';
import { createLogger, type Logger } from '../core/log.ts';
import type { Endpoint } from '../lines/endpoint.ts';
import type { LinkDialer } from '../lines/net/link.ts';
import type { RecordInput } from '../protocols/uplink/index.ts';
import { checkPeriodConfigPushBody, isPeriodConfigBody, type PeriodConfigPushBody } from '../protocols/uplink/period-config.ts';
import type { TerminalConfig } from './config.ts';
import { flashJson, type FlashJson } from './flash-json.ts';
import { Leds, type LedName } from './leds.ts';
import { MeterPoller, type MeterPortName, type PollerRecord } from './meter-reader/poller.ts';
import { TerminalModbus, type ModbusPollerRecord } from './modbus/index.ts';
import { TerminalIo, ioStateFile, type IoPins } from './io/index.ts';
import { TerminalEthernet, type LanPort } from './network/index.ts';
import type { TerminalModel } from './models/schema.ts';
import { nodeOutboxFs, Outbox, UplinkClient, type OutboxFs, type UplinkStatus, type UplinkTiming } from './uplink/index.ts';

export interface TerminalOptions {
  clock: Clock;
  model: TerminalModel;
  config: TerminalConfig;
  /** Serial ports by role. */
  ports: Partial<Record<MeterPortName, Endpoint>>;
  /** The network path to the cloud (Ethernet, or a modem's socket). */
  dialer: LinkDialer;
  /** Folder of the terminal's outbox; its configuration is kept beside it (`../config`). */
  storageDir: string;
  /** File operations of the storage (a power-cut simulation wraps them). */
  storageFs?: OutboxFs;
  /**
   * Uplink timing; cellular models need a long connect time-out (a module's cold start and
   * registration take tens of seconds, 200 s is allowed by default on 2G/4G models).
   */
  uplinkTiming?: Partial<UplinkTiming>;
  /** The I/O block's pins (GSM/4G models); without them the terminal has no I/O. */
  io?: IoPins;
  /** The backup supply ran out during a mains outage: the owner cuts the terminal's power. */
  onPowerFail?: () => void;
  /** The Ethernet port (E21/E22): DHCP or a static address; the uplink dials only once it has an address and a route. */
  lan?: LanPort;
  /** The USB configuration port (with `lan`): identity, network settings, status, restart. */
  usbPort?: Endpoint;
  /** A restart asked for over the USB port: the owner stops and starts the terminal. */
  onRestart?: () => void;
  logger?: Logger;
}

export class Terminal {
  readonly leds: Leds;
  readonly poller: MeterPoller;
  /** The Modbus master and poller (models that read Modbus devices). */
  readonly modbus: TerminalModbus | undefined;
  /** Inputs, relay outputs, schedules and outage detection (GSM/4G models). */
  readonly io: TerminalIo | undefined;
  /** Address, IP and USB LEDs, USB configuration port (Ethernet models given a `lan`). */
  readonly ethernet: TerminalEthernet | undefined;
  private outbox: Outbox | undefined;
  private uplink: UplinkClient | undefined;
  private timer: Timer | undefined;
  private cycle: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private readonly log: Logger;
  private running = false;
  /** Completed poll cycles. */
  cycles = 0;
  /** Poll periods skipped because the previous cycle was still running. */
  overruns = 0;

  constructor(private readonly o: TerminalOptions) {
    this.log = o.logger ?? createLogger('terminal', { modem: o.config.modemNo });
    this.leds = new Leds(o.clock, o.model.leds as LedName[]);
    this.poller = new MeterPoller({
      clock: o.clock,
      config: o.config,
      ports: o.ports,
      sink: (r) => this.store(r),
      activity: (port, busy) => this.leds.set(port, busy ? 'on' : 'off'),
    });
    this.modbus = o.model.reads.modbus
      ? new TerminalModbus({
          clock: o.clock,
          model: o.model,
          ports: { ...(o.ports.rs485 ? { rs485: o.ports.rs485 } : {}), ...(o.ports.rs232 ? { rs232: o.ports.rs232 } : {}) },
          sink: (r) => this.store(r),
          storage: { fs: o.storageFs ?? nodeOutboxFs, dir: join(o.storageDir, '..', 'config') },
          activity: (port, busy) => this.leds.set(port, busy ? 'on' : 'off'),
        })
      : undefined;
    this.io = o.io
      ? new TerminalIo({
          clock: o.clock,
          model: o.model,
          pins: o.io,
          sink: (r) => this.store(r),
          state: ioStateFile({ fs: o.storageFs ?? nodeOutboxFs, dir: join(o.storageDir, '..', 'config'), clock: o.clock }),
          led: (name, on) => this.leds.set(name, on ? 'on' : 'off'),
          ...(o.onPowerFail ? { onPowerFail: o.onPowerFail } : {}),
          logger: this.log,
        })
      : undefined;
    this.ethernet = o.lan
      ? new TerminalEthernet({ clock: o.clock, lan: o.lan, ...(o.usbPort ? { usbPort: o.usbPort } : {}), identity: { model: o.model.model, modemNo: o.config.modemNo, firmware: o.config.firmware }, storage: { fs: o.storageFs ?? nodeOutboxFs, dir: join(o.storageDir, '..', 'config') }, leds: this.leds, ...(o.onRestart ? { onRestart: o.onRestart } : {}), logger: this.log })
      : undefined;
    this.ethernet?.onReady(() => this.uplink?.connectNow());
  }

  get periodMs(): number {
    return (this.period?.sendPeriodMin ?? this.o.config.sendPeriodMin) * 60_000;
  }

  /** Powers the terminal up: recovers its outbox, connects, and starts the poll schedule. */
  async start(): Promise<void> {
    const { clock } = this.o;
    this.running = true;
    this.leds.set('power', 'on');
    this.outbox = await Outbox.open({ dir: this.o.storageDir, clock, ...(this.o.storageFs ? { fs: this.o.storageFs } : {}), logger: this.log });
    const rec = this.outbox.recovery;
    const stored = await this.periodFile.load();
    if (stored.problem) this.log.warn({ problem: stored.problem }, 'stored send period not used');
    if (stored.value) this.period = stored.value;
    await this.ethernet?.start();
    this.uplink = new UplinkClient({
      clock,
      dialer: this.ethernet ? this.ethernet.dialer(this.o.dialer) : this.o.dialer,
      identity: { modemNo: this.o.config.modemNo, secret: this.o.config.secret, model: this.o.model.model, firmware: this.o.config.firmware },
      outbox: this.outbox,
      logger: this.log,
      timing: { ...(this.o.model.uplink === 'ethernet' ? {} : { connectTimeoutMs: 200_000 }), ...this.o.uplinkTiming },
    });
    await this.modbus?.start();
    this.uplink.setPushHandler((p) => {
      if (p.kind === 'config' && isPeriodConfigBody(p.body)) return this.applyPeriod(p.body);
      if (this.io?.handles(p)) return this.io.handlePush(p);
      if (p.kind === 'config' && this.modbus) return this.modbus.handleConfigPush(p);
      return { ok: false, text: `no handler for ${p.kind} pushes on ${this.o.model.model}` };
    });
    this.uplink.onState((s) => this.onUplinkState(s));
    this.uplink.onActivity((busy) => this.leds.set('data', busy ? 'on' : 'off'));
    this.uplink.start();
    await this.store({
      kind: 'event',
      at: Math.round(clock.now()),
      body: { name: 'terminal-start', details: { model: this.o.model.model, firmware: this.o.config.firmware, pendingRecords: rec.pending, tornBytes: rec.tornBytes } },
    });
    await this.io?.start();
    this.schedule();
  }

  /**
   * Stops the terminal. `powerCut`: at once, as when the supply fails — nothing more is written,
   * the uplink is dropped mid-exchange. Otherwise the current cycle finishes first.
   */
  async stop(options: { powerCut?: boolean } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.timer?.cancel();
    this.stopping.abort();
    if (!options.powerCut) await this.cycle;
    this.modbus?.dispose();
    this.io?.dispose();
    await this.uplink?.stop(options.powerCut ? 'power cut' : 'terminal stopping');
    await this.ethernet?.stop();
    if (!options.powerCut) await this.outbox?.close();
    for (const led of this.leds.fitted) this.leds.set(led, 'off');
  }

  uplinkStatus(): UplinkStatus | undefined {
    return this.uplink?.status();
  }

  /** Records appended and not yet acknowledged by the cloud. */
  get pendingRecords(): number {
    return this.outbox?.pendingCount ?? 0;
  }

  /** Runs one poll cycle now (tests and scenarios). */
  pollNow(): Promise<void> {
    return this.runCycle();
  }

  /** The send period last pushed by the cloud, kept in flash across restarts and power cuts. */
  private period: PeriodConfigPushBody | undefined;
  private get periodFile(): FlashJson<PeriodConfigPushBody> {
    return (this.periodStore ??= flashJson({
      fs: this.o.storageFs ?? nodeOutboxFs,
      dir: join(this.o.storageDir, '..', 'config'),
      name: 'send-period.json',
      clock: this.o.clock,
      check: checkPeriodConfigPushBody,
    }));
  }
  private periodStore: FlashJson<PeriodConfigPushBody> | undefined;

  /**
   * Applies a send-period `config` push: stored in flash first (acknowledged only once kept),
   * then the next poll falls on the new period's grid.
   */
  private async applyPeriod(body: unknown): Promise<{ ok: boolean; text: string }> {
    const c = checkPeriodConfigPushBody(body);
    if (!c.ok) return { ok: false, text: `period config: ${c.message}` };
    if (this.period && c.value.periodVersion < this.period.periodVersion) return { ok: true, text: `period version ${c.value.periodVersion} is older than the applied ${this.period.periodVersion}: ignored` };
    try {
      await this.periodFile.save(c.value);
    } catch (err) {
      return { ok: false, text: `period config: cannot store it: ${errorMessage(err)}` };
    }
    this.period = c.value;
    if (this.running) {
      this.timer?.cancel();
      this.schedule();
    }
    return { ok: true, text: `send period ${c.value.sendPeriodMin} min` };
  }

  private schedule(): void {
    const now = this.o.clock.now();
    const next = Math.floor(now / this.periodMs) * this.periodMs + this.periodMs;
    this.timer = this.o.clock.setTimer(next - now, () => {
      if (!this.running) return;
      if (this.cycle) this.overruns++;
      else this.cycle = this.runCycle().finally(() => (this.cycle = undefined));
      this.schedule();
    }, `terminal ${this.o.config.modemNo}: poll`);
  }

  private async runCycle(): Promise<void> {
    try {
      await this.poller.pollAll(this.stopping.signal);
      await this.modbus?.pollAll(this.stopping.signal);
      this.cycles++;
    } catch (err) {
      if (this.running) this.log.error({ err }, 'poll cycle failed');
    }
  }

  private async store(r: PollerRecord | ModbusPollerRecord | RecordInput): Promise<void> {
    if (!this.running || !this.outbox) return;
    await this.outbox.append(r as RecordInput);
  }

  private onUplinkState(s: UplinkStatus): void {
    const online = s.state === 'online';
    this.leds.set('internet', online ? 'on' : 'off');
    if (this.o.model.uplink === 'ethernet' && !this.ethernet) this.leds.set('ip', 'on');
  }
}
