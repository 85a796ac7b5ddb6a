/**
 * Everything Ethernet on an E21/E22, as the terminal holds it: the settings in flash, the
 * interface built from them at each start, the IP LED, the USB configuration port, and the
 * dialer wrapper the uplink uses. `Terminal` makes one when it is given a `LanPort`.
 *
 * Life: `start()` reads the stored settings (a bad file is logged and DHCP used), applies them
 * and opens the USB port; `stop()` closes both. Settings written over the USB port are stored
 * at once and used from the next `start()`.
 */
import type { Clock } from '../../core/clock/index.ts';
import type { Logger } from '../../core/log.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import type { LinkDialer } from '../../lines/net/link.ts';
import type { NetworkSettings } from '../../protocols/usb-config/index.ts';
import type { LedName, LedState } from '../leds.ts';
import type { OutboxFs } from '../uplink/outbox-fs.ts';
import { EthernetInterface, type CentreAddress, type InterfaceStatus } from './ethernet.ts';
import { LanDialer } from './lan-dialer.ts';
import type { LanPort } from './lan-port.ts';
import { networkSettingsFile, type NetworkSettingsStore } from './settings-file.ts';
import { DEFAULT_NETWORK_TIMING, type NetworkTiming } from './timing.ts';
import { UsbConfigServer } from './usb-server.ts';

/**
 * The centre's address when none is given: the harness's cloud as seen from a site. Real
 * terminals carry it from manufacture; DNS names are not modelled.
 */
export const DEFAULT_CENTRE: CentreAddress = Object.freeze({ address: '10.0.0.1', port: 7001 });

export interface TerminalEthernetOptions {
  clock: Clock;
  lan: LanPort;
  /** The USB configuration port; without it settings can only come from flash. */
  usbPort?: Endpoint;
  identity: { model: string; modemNo: string; firmware: string };
  /** Where `network.json` lives (the terminal's configuration folder). */
  storage: { fs: OutboxFs; dir: string } | NetworkSettingsStore;
  leds: { set(led: LedName, state: LedState): void };
  /** A restart asked for over the USB port; the owner restarts the terminal. */
  onRestart?: () => void;
  centre?: CentreAddress;
  timing?: Partial<NetworkTiming>;
  logger: Logger;
}

export class TerminalEthernet {
  readonly mac: string;
  private readonly store: NetworkSettingsStore;
  private readonly timing: NetworkTiming;
  private iface: EthernetInterface | undefined;
  private usb: UsbConfigServer | undefined;
  private offIface: (() => void) | undefined;
  private readonly readyListeners = new Set<() => void>();
  private wasReady = false;

  constructor(private readonly o: TerminalEthernetOptions) {
    this.mac = macOf(o.identity.modemNo);
    this.timing = { ...DEFAULT_NETWORK_TIMING, ...o.timing };
    this.store = 'load' in o.storage ? o.storage : networkSettingsFile({ ...o.storage, clock: o.clock });
  }

  /** The interface of this run (after `start()`). */
  get interface(): EthernetInterface | undefined {
    return this.iface;
  }

  /** The USB port's server of this run (after `start()`, with a USB port). */
  get usbServer(): UsbConfigServer | undefined {
    return this.usb;
  }

  /** Reads the stored settings, brings the interface up with them, opens the USB port. */
  async start(): Promise<void> {
    const log = this.o.logger;
    const { settings, problem } = await this.store.load();
    if (problem) log.error({ problem }, 'network settings unreadable; using DHCP');
    const iface = new EthernetInterface({ clock: this.o.clock, port: this.o.lan, mac: this.mac, hostname: `HT-${this.o.identity.modemNo}`, settings, centre: this.o.centre ?? DEFAULT_CENTRE, timing: this.timing, log });
    this.iface = iface;
    this.wasReady = false;
    this.offIface = iface.onChange(() => this.changed(iface));
    iface.start();
    this.changed(iface);
    if (this.o.usbPort) {
      this.usb = new UsbConfigServer({
        clock: this.o.clock,
        endpoint: this.o.usbPort,
        identity: { ...this.o.identity, mac: this.mac },
        store: this.store,
        stored: settings,
        applied: settings,
        status: () => iface.status(),
        ...(this.o.onRestart ? { restart: this.o.onRestart } : {}),
        led: (state) => this.o.leds.set('usb', state),
        timing: this.timing,
        log,
      });
      this.usb.start();
    }
  }

  async stop(): Promise<void> {
    await this.usb?.stop();
    this.usb = undefined;
    this.offIface?.();
    await this.iface?.stop();
    this.o.leds.set('ip', 'off');
  }

  /** The uplink's dialer: refuses until the interface has an address and a route, then `inner`. */
  dialer(inner: LinkDialer): LinkDialer {
    return new LanDialer(() => this.iface, inner);
  }

  /** Called each time the interface becomes able to reach the centre (address and route). */
  onReady(listener: () => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  status(): InterfaceStatus | undefined {
    return this.iface?.status();
  }

  /** The settings in use (read at the last start). */
  get settings(): NetworkSettings | undefined {
    return this.iface?.settings;
  }

  private changed(iface: EthernetInterface): void {
    if (iface !== this.iface) return;
    this.o.leds.set('ip', iface.ledState());
    const ready = iface.refusal() === undefined && iface.status().route === 'yes';
    if (ready && !this.wasReady) for (const l of [...this.readyListeners]) l();
    this.wasReady = ready;
  }
}

/**
 * The terminal's MAC: locally administered (02), then 48:54 ('HT'), then the low 24 bits of the
 * modem number. Distinct for modem numbers that differ in their low 24 bits.
 */
export function macOf(modemNo: string): string {
  let n = 0;
  for (const c of modemNo) n = (n * 10 + (c.charCodeAt(0) - 48)) % 0x1000000;
  const hex = n.toString(16).padStart(6, '0');
  return `02:48:54:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}
