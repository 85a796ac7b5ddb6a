/**
 * A bench for the Ethernet models, built by hand: one virtual clock, the fake cloud behind a
 * router, the site's LAN with its DHCP server, an HT E21 (the terminal's real code) on a LAN
 * drop with a meter on its optical port, and the configuration program on its USB port. The
 * terminal and the site meet on the optical line, the LAN drop and the USB line only.
 */
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { IEC_OPENING } from '../../lines/settings.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { loadMeterProfiles } from '../../emulators/meters/profile-loader.ts';
import { SiteLan, type LanDrop } from '../../emulators/site/lan.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import { FakeCloud } from '../../fake-cloud/index.ts';
import { parseTerminalConfig } from '../../terminal/config.ts';
import type { LanPort } from '../../terminal/network/index.ts';
import { UsbConfigHost } from '../../terminal/network/usb-host.ts';
import { findTerminalModel } from '../../terminal/models/loader.ts';
import { Terminal } from '../../terminal/terminal.ts';
import type { LedChange, LedName, LedState } from '../../terminal/leds.ts';
import { memoryOutboxFs } from '../../terminal/uplink/outbox-memfs.ts';

export const logger = rootLogger().child({}, { level: 'silent' });
const USB = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 } as const;

/** The site's LAN drop is what the terminal's Ethernet port plugs into: checked here by the compiler. */
const asPort = (drop: LanDrop): LanPort => drop;

export class EthernetBench {
  readonly clock = new VirtualClock();
  readonly cloud = new FakeCloud({ clock: this.clock, logger });
  readonly lan = new SiteLan(this.clock, { router: '192.168.1.1/24' });
  readonly drop = this.lan.attach('terminal');
  readonly flash = memoryOutboxFs();
  readonly model = findTerminalModel('HT E21');
  readonly config;
  readonly meter: EmulatedMeter;
  /** The configuration program on the USB port. */
  readonly pc: UsbConfigHost;
  terminal!: Terminal;
  restarts = 0;
  /** Every LED change of every boot. */
  readonly leds: LedChange[] = [];
  private readonly usb = new VirtualWire(this.clock, 'usb', { id: 'usb/terminal', settings: USB }, { id: 'usb/pc', settings: USB });
  private readonly optical = new VirtualWire(this.clock, 'optical', { id: 'optical/terminal', settings: IEC_OPENING }, { id: 'optical/meter', settings: IEC_OPENING });
  private readonly toCloud: MemoryDialer;

  constructor() {
    const modemNo = '21000001';
    const secret = '0123456789abcdef0123456789abcdef';
    const profile = loadMeterProfiles().map((l) => l.profile).find((p) => p.ports.optical && p.brand === 'Makel')!;
    this.meter = new EmulatedMeter({ clock: this.clock, endpoint: this.optical.b, profile, serial: profile.serialNumber.example, port: 'optical', load: new SiteLoad({ baseKw: 5, peakKw: 20, powerFactor: 0.95 }), initialKwh: 1000 });
    this.config = parseTerminalConfig({ modemNo, secret, sendPeriodMin: 15, meters: { optical: {} } }, this.model, 'bench');
    this.cloud.provisionModem({ modemNo, secret, model: this.model.model });
    this.toCloud = new MemoryDialer(this.clock, this.cloud.uplink, `uplink/${modemNo}`, { latencyMs: 20 });
    this.pc = new UsbConfigHost({ endpoint: this.usb.b, clock: this.clock });
  }

  /** Powers the terminal up (from a test: outside the clock's run). */
  async start(): Promise<void> {
    await this.clock.run(this.boot());
  }

  /** Stops the terminal cleanly and boots it again, as RESTART over the USB port asks. */
  async restart(): Promise<void> {
    await this.terminal.stop();
    this.restarts++;
    await this.boot();
  }

  /** Readings the cloud stored, in seq order. */
  readings(): { seq: number; at: number }[] {
    return this.cloud.service.records(this.config.modemNo, { kind: 'meter-reading' }).map((r) => ({ seq: r.seq, at: r.at }));
  }

  /** Events the terminal reported, by name. */
  events(name: string): unknown[] {
    return this.cloud.service.events(this.config.modemNo, { name }).map((e) => e.details);
  }

  /** A LED's states in order since `from`, across restarts. */
  led(name: LedName, from = 0): LedState[] {
    return this.leds.filter((c) => c.led === name && c.at >= from).map((c) => c.state);
  }

  async dispose(): Promise<void> {
    await this.terminal?.stop({ powerCut: true }).catch(() => undefined);
    this.pc.dispose();
    this.meter.dispose();
    await this.cloud.stop();
  }

  /** A new Terminal object each boot, as a device that starts again: only its flash survives. */
  private async boot(): Promise<void> {
    this.terminal = new Terminal({
      clock: this.clock,
      model: this.model,
      config: this.config,
      ports: { optical: this.optical.a },
      dialer: this.lan.dialer(this.drop, this.toCloud),
      lan: asPort(this.drop),
      usbPort: this.usb.a,
      onRestart: () => void this.clock.track(this.restart(), 'restart over USB'),
      storageDir: '/flash/outbox',
      storageFs: this.flash,
      logger,
    });
    this.terminal.leds.onChange((c) => this.leds.push(c));
    await this.terminal.start();
  }
}
