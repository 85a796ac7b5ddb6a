/**
 * One terminal of a scenario's site, with what is its own: its model and configuration, its
 * flash (kept across restarts and power cuts), its way to the cloud (Ethernet path, or a fake
 * cellular module on its serial line), its I/O panel (GSM/4G models) and its restarts. A site has
 * one main terminal (the one its meters are wired to) and may have peers (other modems of the
 * same account, e.g. the well and the tank of the well–tank automation).
 */
import type { Clock } from '../../core/clock/index.ts';
import type { TraceRecorder } from '../../core/trace/index.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import type { LinkDialer } from '../../lines/net/link.ts';
import type { LineSettings } from '../../lines/settings.ts';
import { createModem, type GsmModem } from '../../emulators/gsm-modem/index.ts';
import type { DryContact } from '../../emulators/site/dry-contact.ts';
import { IoPanel } from '../../emulators/site/io-panel.ts';
import { SiteLan, type LanDrop } from '../../emulators/site/lan.ts';
import type { MainsSupply } from '../../emulators/site/mains.ts';
import type { RelayDrivenLoad } from '../../emulators/site/relay-load.ts';
import type { FakeCloud } from '../../fake-cloud/index.ts';
import { CellularDialer, cellularSettingsFor, gsmLedState } from '../../terminal/cellular/index.ts';
import { parseTerminalConfig, type TerminalConfig } from '../../terminal/config.ts';
import { findTerminalModel } from '../../terminal/models/loader.ts';
import type { TerminalModel } from '../../terminal/models/schema.ts';
import { Terminal } from '../../terminal/terminal.ts';
import { powerCutFs, type PowerCutFs } from '../../terminal/uplink/index.ts';
import { memoryOutboxFs } from '../../terminal/uplink/outbox-memfs.ts';
import type { LineFactory } from './line-factory.ts';
import type { ValidSiteSpec } from './site-spec.ts';

export type PortName = 'optical' | 'rs232' | 'rs485';

/** What the site gives a terminal: the shared world it lives in. */
export interface SiteWorld {
  clock: Clock;
  /** Where the terminal's modem line and its network paths come from (the run's mode). */
  lines: LineFactory;
  trace: TraceRecorder;
  cloud: FakeCloud;
  mains: MainsSupply;
  event(source: string, name: string, data?: Record<string, unknown>): void;
  note(line: string): (text: string) => void;
}

export interface SiteTerminalOptions {
  terminal: { model: string; modemNo: string; sendPeriodMin: number; retries?: number | undefined };
  cellular: ValidSiteSpec['cellular'];
  network: ValidSiteSpec['network'];
  /** The meters in the terminal's configuration, per port (the main terminal only). */
  meters?: { optical?: object; rs232?: object; rs485: object[] };
  /** Serial lines to the site's meters and devices (the main terminal only). */
  ports?: Partial<Record<PortName, Endpoint>>;
  /** Plant wired to the I/O panel (inputs IN1.., outputs C1..). */
  wiring?: { inputs?: DryContact[]; outputs?: RelayDrivenLoad[] };
  /**
   * Names on the trace: the main terminal keeps the plain ones (`terminal`, `modem`, `gsm`); a
   * peer adds its modem number (`terminal 25000020`, line `gsm/25000020`).
   */
  label?: string;
}

/** The UART between a GSM/4G terminal and its module. */
const MODEM_UART: LineSettings = Object.freeze({ baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 });
/** The USB configuration port of an Ethernet terminal (a CDC serial port). */
const USB_CDC: LineSettings = Object.freeze({ baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 });

export class SiteTerminal {
  readonly model: TerminalModel;
  private cfg: TerminalConfig;
  private readonly configInput: Record<string, unknown>;
  private readonly configWhere: string;
  /** IN1/IN2 contacts and C1/C2 loads of a GSM/4G terminal. */
  readonly io: IoPanel | undefined;
  /** The fake module of a GSM/4G model. */
  readonly modem: GsmModem | undefined;
  /** The LAN of an Ethernet terminal: DHCP server, router, and the terminal's drop. */
  readonly lan: SiteLan | undefined;
  /** The Ethernet terminal's LAN drop (`unplug()` / `plug()` its cable). */
  readonly lanDrop: LanDrop | undefined;
  /** The configuration program's end of the Ethernet terminal's USB port. */
  readonly usbPc: Endpoint | undefined;
  private readonly usbPort: Endpoint | undefined;
  terminal!: Terminal;
  restarts = 0;
  /** The one-time authorization code on the paper in the terminal's box (issued by the cloud at provisioning). */
  readonly authCode: string;
  private poweredOff = false;
  private networkDown: string | undefined;
  /** The terminal's flash: kept across restarts and power cuts of the terminal. */
  private readonly flash = memoryOutboxFs();
  private readonly storageDir = '/flash/outbox';
  private storageFs: PowerCutFs | undefined;
  private readonly network: LinkDialer | undefined;
  private readonly modemPort: Endpoint | undefined;
  private cellular: CellularDialer | undefined;
  private readonly ports: Partial<Record<PortName, Endpoint>>;
  private readonly source: string;
  private readonly modemSource: string;

  /** Makes the terminal, with its modem line from the site's line factory (GSM/4G models). */
  static async create(world: SiteWorld, o: SiteTerminalOptions): Promise<SiteTerminal> {
    const cellular = findTerminalModel(o.terminal.model).uplink !== 'ethernet';
    const modemLine = cellular ? await world.lines.modemLine(o.label ? `gsm/${o.label}` : 'gsm', MODEM_UART, !o.label) : undefined;
    const usbLine = cellular ? undefined : await world.lines.modemLine(o.label ? `usb/${o.label}` : 'usb', USB_CDC, false);
    return new SiteTerminal(world, o, modemLine, usbLine);
  }

  private constructor(
    private readonly world: SiteWorld,
    o: SiteTerminalOptions,
    modemLine: { terminal: Endpoint; modem: Endpoint } | undefined,
    usbLine?: { terminal: Endpoint; modem: Endpoint },
  ) {
    const { clock, cloud } = world;
    this.ports = o.ports ?? {};
    this.source = o.label ? `terminal ${o.label}` : 'terminal';
    this.modemSource = o.label ? `modem ${o.label}` : 'modem';
    this.model = findTerminalModel(o.terminal.model);
    const hasIo = this.model.io.inputs + this.model.io.outputs > 0;
    this.io = hasIo ? new IoPanel(clock, { ...(o.wiring ?? {}), ...(this.model.supply.kind === 'ac' ? { mains: world.mains } : {}) }) : undefined;
    if (!hasIo && (o.wiring?.inputs?.length || o.wiring?.outputs?.length)) {
      throw new Error(`${o.terminal.model} (${o.terminal.modemNo}) has no inputs or outputs to wire a plant to`);
    }
    const linkName = `uplink/${o.terminal.modemNo}`;
    if (this.model.uplink === 'ethernet') {
      this.lan = new SiteLan(clock);
      this.lanDrop = this.lan.attach(o.label ? `terminal ${o.label}` : 'terminal');
      this.network = this.lan.dialer(this.lanDrop, world.lines.dialer(linkName, { latencyMs: o.network.latencyMs }, () => this.networkDown));
      this.usbPort = usbLine?.terminal;
      this.usbPc = usbLine?.modem;
    } else {
      const c = o.cellular;
      const line = o.label ? `gsm/${o.label}` : 'gsm';
      if (!modemLine) throw new Error(`${o.terminal.model} (${o.terminal.modemNo}) has no line to its module`);
      const curve = (dbm: number | null) => (dbm === null ? ({ kind: 'none' } as const) : ({ kind: 'constant', dbm } as const));
      this.modem = createModem({
        profile: c.module ?? (this.model.uplink === '4g' ? 'EC25' : 'SIM800C'),
        endpoint: modemLine.modem,
        clock,
        dialer: world.lines.cellularDialers(linkName, () => this.networkDown),
        sim: { state: c.sim },
        radio: {
          gsm: c.flapping && c.gsmDbm !== null ? { kind: 'flapping', dbm: c.gsmDbm, upMin: c.flapping.upMin, downMin: c.flapping.downMin } : curve(c.gsmDbm),
          lte: curve(c.lteDbm),
          start: clock.now(),
        },
        note: world.note(line),
      });
      this.modemPort = modemLine.terminal;
    }
    const secret = Array.from({ length: 32 }, (_, i) => ((i * 7 + Number(o.terminal.modemNo)) % 16).toString(16)).join('');
    this.configInput = {
      modemNo: o.terminal.modemNo,
      secret,
      sendPeriodMin: o.terminal.sendPeriodMin,
      ...(o.terminal.retries !== undefined ? { retries: o.terminal.retries } : {}),
    };
    this.configWhere = o.label ? `site.peers[${o.label}]` : 'site.terminal';
    this.cfg = parseTerminalConfig({ ...this.configInput, meters: o.meters ?? { rs485: [] } }, this.model, this.configWhere);
    this.authCode = cloud.provisionModem({ modemNo: this.config.modemNo, secret, model: this.model.model }).authCode;
  }

  /** The terminal's configuration (as if set up by the installer before it first starts). */
  get config(): TerminalConfig {
    return this.cfg;
  }

  /** Sets the meters of the terminal's configuration, before it starts. */
  setMeters(meters: { optical?: object; rs232?: object; rs485: object[] }): void {
    this.cfg = parseTerminalConfig({ ...this.configInput, meters }, this.model, this.configWhere);
  }

  get modemNo(): string {
    return this.config.modemNo;
  }

  /** Records waiting in the terminal's outbox. */
  get pendingRecords(): number {
    return this.terminal?.pendingRecords ?? 0;
  }

  /** Cuts the network between this terminal and the cloud (open links drop at once). */
  setNetwork(up: boolean, reason = 'network outage'): void {
    this.networkDown = up ? undefined : reason;
    this.world.event('network', up ? 'up' : 'down', { ...(up ? {} : { reason }), modem: this.modemNo });
    if (!up) this.world.cloud.uplink.dropModem(this.modemNo, reason);
  }

  /**
   * Restarts the terminal. `powerCut`: the supply fails at once, in the middle of whatever it
   * was doing (a write to its storage may be torn); otherwise it shuts down cleanly.
   */
  async restart(options: { powerCut?: boolean; offForMs?: number } = {}): Promise<void> {
    this.world.event(this.source, options.powerCut ? 'power-cut' : 'restart');
    if (options.powerCut) this.storageFs?.cutNow();
    await this.terminal.stop({ powerCut: options.powerCut ?? false });
    if (options.offForMs) await this.world.clock.sleep(options.offForMs);
    this.restarts++;
    await this.start();
  }

  /** Mains is back after the terminal's backup ran out: it boots two seconds later. */
  mainsBack(): void {
    if (!this.poweredOff) return;
    const clock = this.world.clock;
    clock.setTimer(2000, () => void clock.track(this.powerBack(), 'terminal boot'), 'terminal boot');
  }

  async start(): Promise<void> {
    const clock = this.world.clock;
    this.storageFs = powerCutFs(this.flash);
    this.terminal = new Terminal({
      clock,
      model: this.model,
      config: this.config,
      ports: this.ports,
      dialer: this.dialer(),
      storageDir: this.storageDir,
      storageFs: this.storageFs,
      ...(this.io ? { io: this.io.pins } : {}),
      onPowerFail: () => void clock.track(this.powerFail(), 'power fail'),
      ...(this.lanDrop ? { lan: this.lanDrop, ...(this.usbPort ? { usbPort: this.usbPort } : {}), onRestart: () => void clock.track(this.restart(), 'restart over USB') } : {}),
    });
    const terminal = this.terminal;
    this.cellular?.onStatus((st) => {
      terminal.leds.set('gsm', gsmLedState(st));
      this.world.event(this.modemSource, 'status', { state: st.state, sim: st.sim, registration: st.registration, technology: st.technology, dbm: st.signal?.dbm });
    });
    if (this.lanDrop) terminal.leds.onChange((c) => c.led === 'ip' && this.world.event(this.source, 'ip-led', { state: c.state }));
    await clock.track(terminal.start(), 'terminal start');
    let last = '';
    const status = () => {
      const st = terminal.uplinkStatus()?.state ?? 'disconnected';
      if (st !== last && this.terminal === terminal) this.world.event(this.source, 'uplink', { state: st });
      last = st;
    };
    status();
    terminal.leds.onChange((c) => c.led === 'internet' && status());
  }

  async dispose(): Promise<void> {
    await this.terminal?.stop({ powerCut: true }).catch(() => {});
    this.modem?.dispose();
  }

  /** The backup supply ran out in a mains outage: the terminal goes down until mains returns. */
  private async powerFail(): Promise<void> {
    this.poweredOff = true;
    this.world.event(this.source, 'power-fail');
    this.storageFs?.cutNow();
    await this.terminal.stop({ powerCut: true });
  }

  private async powerBack(): Promise<void> {
    if (!this.poweredOff) return;
    this.poweredOff = false;
    this.restarts++;
    await this.start();
  }

  /** The terminal's way to the cloud: Ethernet, or (GSM/4G) a new dialer on its modem. */
  private dialer(): LinkDialer {
    if (this.network) return this.network;
    const modem = this.modem!;
    this.cellular = new CellularDialer({
      endpoint: this.modemPort!,
      clock: this.world.clock,
      apn: { apn: 'm2m.example' },
      host: 'cloud.smartpower.example',
      port: 7001,
      ...cellularSettingsFor(this.model),
      powerCycle: () => modem.powerCycle(),
    });
    return this.cellular;
  }
}
