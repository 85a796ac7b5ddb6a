/**
 * The site's LAN as an Ethernet terminal meets it: a switch with drops (each a socket a cable
 * goes into), a router that is also the DHCP server, and the way out to the centre.
 *
 * - Frames are messages (the shapes the terminal's `LanPort` uses: DHCP and ARP), delivered one
 *   `latencyMs` after they are sent, and lost without carrier at either end.
 * - The DHCP server (RFC 2131) hands out addresses from its pool, confirms a known address
 *   (INIT-REBOOT), renews, refuses (NAK) an address that is not its to give. It can be switched
 *   `off` (no server on the LAN) or made `silent` (it hears, and never answers).
 * - The router answers ARP for its address. It forwards a connection to the centre only from a
 *   host inside its subnet that uses it as gateway: `dialer(drop, cloud)` passes a dial through
 *   to the cloud's dialer only then, and fails as a real stack would otherwise.
 * - Pulling a cable drops the connections through that drop at once (bytes in flight are lost).
 */
import type { Clock } from '../../core/clock/index.ts';
import { HtHilError } from '../../core/errors.ts';
import type { ByteLink, LinkDialer } from '../../lines/net/link.ts';
import type { ArpMessage, DhcpMessage, InterfaceAddress, LanFrame } from '../../lines/net/lan-frames.ts';
import { formatIpv4, inSubnet, parseCidr, parseIpv4 } from '../../protocols/usb-config/ipv4.ts';

/** The frames on the LAN (shared with the terminal's IP stack: lines/net/lan-frames.ts). */
export type LanDhcpMessage = DhcpMessage;
export type LanArpMessage = ArpMessage;
export type LanMessage = LanFrame;
/** The address a host's IP stack uses. */
export type LanHostAddress = InterfaceAddress;

export interface SiteLanOptions {
  /** The router's address and the LAN's subnet (default `192.168.1.1/24`). */
  router?: string;
  /** First and last address the DHCP server gives (default .100 to .199 of the subnet). */
  pool?: { first: string; last: string };
  /** Lease time in seconds (default 3600). */
  leaseS?: number;
  /** DNS servers the DHCP server gives (default: the router). */
  dns?: string[];
  /** One-way delay of a frame (ms, default 1). */
  latencyMs?: number;
  /** Time a connection attempt takes to fail when the router drops it (ms, default 21 000: three SYNs). */
  connectTimeoutMs?: number;
}

export type DhcpServerMode = 'on' | 'off' | 'silent';

const ROUTER_MAC = '02:00:5e:00:01:01';
const at = (field: string) => ({ field, offset: 0 });

/** One socket of the switch. Its shape is the terminal's `LanPort`. */
export class LanDrop {
  private plugged = true;
  private address: LanHostAddress | undefined;
  private readonly carrierListeners = new Set<(up: boolean) => void>();
  private readonly frameListeners = new Set<(f: LanMessage) => void>();

  constructor(
    readonly name: string,
    private readonly lan: SiteLan,
  ) {}

  get carrier(): boolean {
    return this.plugged;
  }

  /** The address the host on this drop uses, as its packets show it. */
  get configured(): LanHostAddress | undefined {
    return this.address;
  }

  plug(): void {
    this.setPlugged(true);
  }

  /** Pulls the cable: connections through this drop drop at once, then the host loses carrier. */
  unplug(): void {
    this.setPlugged(false);
  }

  onCarrier(listener: (up: boolean) => void): () => void {
    this.carrierListeners.add(listener);
    return () => this.carrierListeners.delete(listener);
  }

  onFrame(listener: (f: LanMessage) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  send(frame: LanMessage): void {
    if (this.plugged) this.lan.carry(this, frame);
  }

  configure(address: LanHostAddress | undefined): void {
    this.address = address ? { ...address } : undefined;
  }

  /** @internal the LAN hands a frame to this drop. */
  deliver(frame: LanMessage): void {
    if (!this.plugged) return;
    for (const l of [...this.frameListeners]) l(frame);
  }

  private setPlugged(up: boolean): void {
    if (this.plugged === up) return;
    this.plugged = up;
    this.lan.cable(this, up);
    for (const l of [...this.carrierListeners]) l(up);
  }
}

interface Binding {
  mac: string;
  address: number;
  expiresAt: number;
}

export class SiteLan {
  readonly routerAddress: string;
  readonly prefix: number;
  /** Every frame on the wire, with when and from which drop (`router` for the router's). */
  readonly frames: { at: number; from: string; frame: LanMessage }[] = [];
  private dhcpMode: DhcpServerMode = 'on';
  private readonly router: number;
  private readonly pool: { first: number; last: number };
  private readonly leaseS: number;
  private readonly dns: string[];
  private readonly latencyMs: number;
  private readonly connectTimeoutMs: number;
  private readonly drops: LanDrop[] = [];
  private readonly bindings = new Map<string, Binding>();
  private readonly links = new Map<LanDrop, Set<ByteLink>>();

  constructor(
    private readonly clock: Clock,
    options: SiteLanOptions = {},
  ) {
    const r = parseCidr(options.router ?? '192.168.1.1/24', at('router'));
    this.router = r.address;
    this.prefix = r.prefix;
    this.routerAddress = formatIpv4(r.address);
    const net = (r.address & (0xffffffff << (32 - r.prefix))) >>> 0;
    this.pool = options.pool ? { first: parseIpv4(options.pool.first, at('pool.first')), last: parseIpv4(options.pool.last, at('pool.last')) } : { first: net + 100, last: net + 199 };
    this.leaseS = options.leaseS ?? 3600;
    this.dns = options.dns ?? [this.routerAddress];
    this.latencyMs = options.latencyMs ?? 1;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 21_000;
  }

  /** A new drop with a cable plugged in. */
  attach(name: string): LanDrop {
    const d = new LanDrop(name, this);
    this.drops.push(d);
    return d;
  }

  /** `off`: no DHCP server on the LAN; `silent`: it hears but never answers; `on`: it serves. */
  setDhcp(mode: DhcpServerMode): void {
    this.dhcpMode = mode;
  }

  get dhcp(): DhcpServerMode {
    return this.dhcpMode;
  }

  /** Addresses the DHCP server has bound, with their MAC and end. */
  leases(): { mac: string; address: string; expiresAt: number }[] {
    return [...this.bindings.values()].map((b) => ({ mac: b.mac, address: formatIpv4(b.address), expiresAt: b.expiresAt }));
  }

  /** DHCP messages on the wire from a drop (not the server's replies), by op. */
  dhcpFrom(drop: LanDrop, op?: LanDhcpMessage['op']): { at: number; frame: LanDhcpMessage }[] {
    return this.frames.flatMap((f) => (f.from === drop.name && f.frame.kind === 'dhcp' && (!op || f.frame.op === op) ? [{ at: f.at, frame: f.frame }] : []));
  }

  /**
   * A dialer for the host on `drop`: the router forwards to `cloud` only for a host that has an
   * address inside its subnet and uses it as gateway. Otherwise the dial fails the way a real
   * stack sees it: at once without carrier or address, after the ARP time-out (3 s) when the
   * gateway does not exist, after `connectTimeoutMs` when the router drops the packets.
   */
  dialer(drop: LanDrop, cloud: LinkDialer): LinkDialer {
    return {
      dial: async () => {
        const fail = (why: string) => new HtHilError('E_LINK', `${drop.name}: ${why}`);
        if (!drop.carrier) throw fail('network is unreachable (no carrier)');
        const a = drop.configured;
        if (!a) throw fail('network is unreachable (no address)');
        if (!a.gateway) throw fail('network is unreachable (no gateway)');
        const gw = parseIpv4(a.gateway, at('gateway'));
        if (gw !== this.router) {
          await this.clock.sleep(3000);
          throw fail(`no route to host: gateway ${a.gateway} does not answer`);
        }
        const src = parseIpv4(a.address, at('address'));
        if (!inSubnet(src, this.router, this.prefix) || src === this.router) {
          await this.clock.sleep(this.connectTimeoutMs);
          throw fail(`connection timed out: the router does not forward for ${a.address} (its subnet is ${formatIpv4((this.router & (0xffffffff << (32 - this.prefix))) >>> 0)}/${this.prefix})`);
        }
        await this.clock.sleep(2 * this.latencyMs);
        if (!drop.carrier) throw fail('network is unreachable (no carrier)');
        const link = await cloud.dial();
        const set = this.links.get(drop) ?? new Set<ByteLink>();
        this.links.set(drop, set);
        set.add(link);
        link.onClose(() => set.delete(link));
        return link;
      },
    };
  }

  /** @internal a drop's cable went in or out. */
  cable(drop: LanDrop, up: boolean): void {
    if (up) return;
    for (const link of [...(this.links.get(drop) ?? [])]) {
      const d = (link as ByteLink & { drop?: (reason: string) => void }).drop;
      if (typeof d === 'function') d.call(link, 'cable unplugged');
      else link.close('cable unplugged');
    }
  }

  /** @internal a drop put a frame on the wire. */
  carry(from: LanDrop, frame: LanMessage): void {
    this.frames.push({ at: this.clock.now(), from: from.name, frame });
    this.clock.setTimer(this.latencyMs, () => this.arrive(from, frame), `LAN: ${frame.kind} from ${from.name}`);
  }

  private arrive(from: LanDrop, frame: LanMessage): void {
    if (frame.kind === 'arp') {
      if (frame.op !== 'request') return;
      const owner = frame.targetIp === this.routerAddress ? ROUTER_MAC : this.drops.find((d) => d !== from && d.carrier && d.configured?.address === frame.targetIp)?.name;
      if (owner) this.reply(from, { kind: 'arp', op: 'reply', senderMac: owner, senderIp: frame.targetIp, targetIp: frame.senderIp, targetMac: frame.senderMac });
      return;
    }
    if (frame.op === 'offer' || frame.op === 'ack' || frame.op === 'nak' || this.dhcpMode !== 'on') return;
    const answer = this.serve(frame);
    if (answer) this.reply(from, answer);
  }

  private reply(to: LanDrop, frame: LanMessage): void {
    this.frames.push({ at: this.clock.now(), from: 'router', frame });
    this.clock.setTimer(this.latencyMs, () => to.deliver(frame), `LAN: ${frame.kind} to ${to.name}`);
  }

  /** The DHCP server's answer to a client message, if any. */
  private serve(m: LanDhcpMessage): LanDhcpMessage | undefined {
    const now = this.clock.now();
    const server = this.routerAddress;
    const base = { kind: 'dhcp' as const, xid: m.xid, mac: m.mac, serverId: server };
    const grant = (address: number): LanDhcpMessage => {
      this.bindings.set(m.mac, { mac: m.mac, address, expiresAt: now + this.leaseS * 1000 });
      return { ...base, op: 'ack', yiaddr: formatIpv4(address), prefix: this.prefix, router: server, dns: [...this.dns], leaseS: this.leaseS };
    };
    const nak = (message: string): LanDhcpMessage => ({ ...base, op: 'nak', message });
    const mine = this.bindings.get(m.mac);
    switch (m.op) {
      case 'discover': {
        const address = mine && mine.expiresAt > now ? mine.address : this.free(now);
        if (address === undefined) return undefined;
        return { ...base, op: 'offer', yiaddr: formatIpv4(address), prefix: this.prefix, router: server, dns: [...this.dns], leaseS: this.leaseS };
      }
      case 'request': {
        if (m.serverId !== undefined && m.serverId !== server) return undefined; // the client chose another server
        const wanted = m.ciaddr ?? m.requested;
        if (wanted === undefined) return nak('no address requested');
        const ip = parseIpv4(wanted, at('requested'));
        if (!inSubnet(ip, this.router, this.prefix)) return nak(`${wanted} is not on this network`);
        const holder = [...this.bindings.values()].find((b) => b.address === ip && b.mac !== m.mac && b.expiresAt > now);
        if (holder) return nak(`${wanted} is leased to another host`);
        if (m.ciaddr !== undefined && mine?.address !== ip) return nak(`no lease of ${wanted} for ${m.mac}`);
        if (!this.inPool(ip) && mine?.address !== ip) return nak(`${wanted} is not in the pool`);
        return grant(ip);
      }
      case 'release':
        if (mine && m.ciaddr === formatIpv4(mine.address)) this.bindings.delete(m.mac);
        return undefined;
      default:
        return undefined;
    }
  }

  private inPool(ip: number): boolean {
    return ip >= this.pool.first && ip <= this.pool.last;
  }

  private free(now: number): number | undefined {
    const taken = new Set([...this.bindings.values()].filter((b) => b.expiresAt > now).map((b) => b.address));
    for (const d of this.drops) if (d.configured) taken.add(parseIpv4(d.configured.address, at('address')));
    for (let ip = this.pool.first; ip <= this.pool.last; ip++) if (!taken.has(ip) && ip !== this.router) return ip;
    return undefined;
  }
}
