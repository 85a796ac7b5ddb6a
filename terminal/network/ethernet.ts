/**
 * The terminal's Ethernet interface: carrier, the address (from DHCP or set by hand), the route
 * check, what the IP LED shows, and why the centre cannot be reached when it cannot.
 *
 * - Settings are the ones read from flash at start; they do not change while it runs (a change
 *   over the USB port takes effect at the next restart).
 * - Carrier up: DHCP starts (or the static address is configured); carrier down: the address is
 *   dropped at once, the DHCP client stops and remembers its lease to confirm it on the next
 *   carrier (RFC 2131 INIT-REBOOT).
 * - Each new address starts a route check (ARP for the gateway); while the gateway does not
 *   answer, it is checked again every `routeRecheckMs`.
 * - IP LED: off without carrier, blinking while there is no address, lit with one.
 */
import type { Clock } from '../../core/clock/index.ts';
import { CancelledError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { NetworkSettings, NetworkStatus } from '../../protocols/usb-config/index.ts';
import type { LedState } from '../leds.ts';
import { DhcpClient } from './dhcp-client.ts';
import type { InterfaceAddress, LanPort } from './lan-port.ts';
import { gatewayAnswers } from './route-check.ts';
import type { NetworkTiming } from './timing.ts';

/** Where the terminal connects to: the centre's address (set at manufacture) and port. */
export interface CentreAddress {
  address: string;
  port: number;
}

/** The interface now (the USB port's STATUS, less `applied`). */
export type InterfaceStatus = Omit<NetworkStatus, 'applied'>;

export interface EthernetInterfaceOptions {
  clock: Clock;
  port: LanPort;
  mac: string;
  hostname?: string;
  /** The settings in use from start to stop. */
  settings: NetworkSettings;
  centre: CentreAddress;
  timing: NetworkTiming;
  log: Logger;
}

export class EthernetInterface {
  private readonly dhcp: DhcpClient | undefined;
  private address: InterfaceAddress | undefined;
  private route: 'yes' | 'no' | 'unknown' = 'unknown';
  private checking: { stop: AbortController; done: Promise<void> } | undefined;
  private readonly offs: (() => void)[] = [];
  private readonly listeners = new Set<() => void>();
  private started = false;

  constructor(private readonly o: EthernetInterfaceOptions) {
    this.dhcp = o.settings.mode === 'dhcp' ? new DhcpClient({ clock: o.clock, port: o.port, mac: o.mac, ...(o.hostname ? { hostname: o.hostname } : {}), timing: o.timing, log: o.log }) : undefined;
  }

  get settings(): NetworkSettings {
    return this.o.settings;
  }

  /** Begins following the carrier. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.offs.push(this.o.port.onCarrier((up) => void this.carrier(up)));
    if (this.dhcp) this.offs.push(this.dhcp.onChange(() => this.dhcpChanged()));
    void this.carrier(this.o.port.carrier);
  }

  /** Stops: drops the address, stops DHCP and the route check. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    for (const off of this.offs.splice(0)) off();
    await this.stopChecking();
    await this.dhcp?.stop();
    this.setAddress(undefined);
  }

  /** Called on every change of carrier, address, route or DHCP state. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What the IP LED shows. */
  ledState(): LedState {
    if (!this.o.port.carrier || !this.started) return 'off';
    return this.address ? 'on' : 'blink';
  }

  /** The address in use, or undefined. */
  get current(): InterfaceAddress | undefined {
    return this.address;
  }

  status(): InterfaceStatus {
    const lease = this.dhcp?.lease;
    const a = this.address;
    const dns = this.o.settings.dns.length ? this.o.settings.dns : (lease?.dns ?? []);
    const problem = this.refusal();
    return {
      link: this.o.port.carrier ? 'up' : 'down',
      source: a ? this.o.settings.mode : 'none',
      ...(a ? { address: a.address, prefix: a.prefix } : {}),
      ...(a?.gateway ? { gateway: a.gateway } : {}),
      dns: a ? dns : [],
      route: this.route,
      ...(a && lease ? { leaseS: Math.max(0, Math.floor((lease.expiresAt - this.o.clock.now()) / 1000)) } : {}),
      ...(problem ? { problem } : {}),
    };
  }

  /**
   * Why the centre cannot be reached now, or undefined when nothing stands in the way (a route
   * not checked yet counts as nothing in the way; `ensureRoute` checks it).
   */
  refusal(): string | undefined {
    if (!this.started) return 'the Ethernet interface is down';
    if (!this.o.port.carrier) return 'cable unplugged';
    const a = this.address;
    if (!a) {
      const why = this.dhcp?.problem;
      return why ? `no address: ${why}` : 'no address yet: DHCP is acquiring one';
    }
    if (!a.gateway) return `no route to ${this.o.centre.address}: no gateway (the DHCP server gave none)`;
    if (this.route === 'no') return `no route to ${this.o.centre.address} via gateway ${a.gateway}: the gateway does not answer`;
    return undefined;
  }

  /**
   * Resolves with `refusal()` once the route is known: at once when it is (or something else
   * stands in the way), else after the running check of the gateway.
   */
  async ensureRoute(): Promise<string | undefined> {
    for (;;) {
      const why = this.refusal();
      if (why || this.route !== 'unknown') return why;
      if (!this.checking) this.startChecking();
      await new Promise<void>((resolve) => {
        const off = this.onChange(() => {
          off();
          resolve();
        });
      });
    }
  }

  private async carrier(up: boolean): Promise<void> {
    if (!this.started) return;
    this.o.log.info({ carrier: up }, up ? 'Ethernet link up' : 'Ethernet link down: cable unplugged');
    if (!up) {
      this.setAddress(undefined);
      await this.dhcp?.stop();
      return;
    }
    const s = this.o.settings;
    if (s.mode === 'static') this.setAddress({ address: s.address, prefix: s.prefix, gateway: s.gateway });
    else {
      this.dhcp!.start();
      this.emit();
    }
  }

  private dhcpChanged(): void {
    const lease = this.dhcp?.lease;
    const next = lease && this.o.port.carrier ? { address: lease.address, prefix: lease.prefix, gateway: lease.gateway } : undefined;
    const same = next?.address === this.address?.address && next?.prefix === this.address?.prefix && next?.gateway === this.address?.gateway;
    if (same) this.emit();
    else this.setAddress(next);
  }

  private setAddress(a: InterfaceAddress | undefined): void {
    this.address = a;
    this.route = 'unknown';
    void this.stopChecking();
    this.o.port.configure(a);
    if (a?.gateway && this.started) this.startChecking();
    this.emit();
  }

  private startChecking(): void {
    const a = this.address;
    if (!a?.gateway) return;
    const stop = new AbortController();
    const done = (async () => {
      for (;;) {
        const ok = await gatewayAnswers({ clock: this.o.clock, port: this.o.port, mac: this.o.mac, address: a.address, gateway: a.gateway!, tries: this.o.timing.arpTries, waitMs: this.o.timing.arpWaitMs, signal: stop.signal });
        if (stop.signal.aborted) return;
        const route = ok ? 'yes' : 'no';
        if (route !== this.route) {
          this.route = route;
          if (!ok) this.o.log.warn({ gateway: a.gateway }, 'gateway does not answer');
          this.emit();
        }
        if (ok) return;
        await this.o.clock.sleep(this.o.timing.routeRecheckMs, stop.signal);
      }
    })().catch((err: unknown) => {
      if (!(err instanceof CancelledError)) this.o.log.error({ err }, 'route check failed');
    });
    this.checking = { stop, done };
  }

  private async stopChecking(): Promise<void> {
    const c = this.checking;
    this.checking = undefined;
    c?.stop.abort();
    await c?.done;
  }

  private emit(): void {
    for (const l of [...this.listeners]) l();
  }
}
