/**
 * A minimal LAN for the network code's own tests: one port, a DHCP server and a gateway that do
 * only what the test says, and a log of every frame the terminal sent. (The site's LAN with its
 * router, cable and DHCP pool is `emulators/site/lan.ts`, which the terminal never imports.)
 */
import type { Clock } from '../../core/clock/index.ts';
import type { DhcpMessage, InterfaceAddress, LanFrame, LanPort } from './lan-port.ts';

export interface ScriptedLease {
  address: string;
  prefix: number;
  router?: string;
  dns: string[];
  leaseS: number;
  serverId: string;
}

export class ScriptedLan implements LanPort {
  carrier = true;
  /** Frames the terminal sent, with when. */
  readonly sent: { at: number; frame: LanFrame }[] = [];
  /** The address the terminal configured, as the LAN would see its packets leave. */
  configured: InterfaceAddress | undefined;
  /** `answer`: offers and acknowledges; `silent`: nothing; `nak`: refuses every REQUEST. */
  dhcp: 'answer' | 'silent' | 'nak' = 'answer';
  /** Answer renewals (REQUEST with ciaddr). */
  renewals = true;
  lease: ScriptedLease = { address: '192.168.1.100', prefix: 24, router: '192.168.1.1', dns: ['192.168.1.1'], leaseS: 3600, serverId: '192.168.1.1' };
  /** Addresses that answer ARP. */
  readonly hosts = new Set(['192.168.1.1']);
  /** One-way delay of every reply. */
  delayMs = 2;
  private readonly carrierListeners = new Set<(up: boolean) => void>();
  private readonly frameListeners = new Set<(f: LanFrame) => void>();

  constructor(private readonly clock: Clock) {}

  setCarrier(up: boolean): void {
    if (this.carrier === up) return;
    this.carrier = up;
    for (const l of [...this.carrierListeners]) l(up);
  }

  onCarrier(listener: (up: boolean) => void): () => void {
    this.carrierListeners.add(listener);
    return () => this.carrierListeners.delete(listener);
  }

  onFrame(listener: (f: LanFrame) => void): () => void {
    this.frameListeners.add(listener);
    return () => this.frameListeners.delete(listener);
  }

  configure(address: InterfaceAddress | undefined): void {
    this.configured = address;
  }

  /** DHCP messages the terminal sent, by op. */
  dhcpSent(op?: DhcpMessage['op']): DhcpMessage[] {
    return this.sent.flatMap((s) => (s.frame.kind === 'dhcp' && (!op || s.frame.op === op) ? [s.frame] : []));
  }

  send(frame: LanFrame): void {
    if (!this.carrier) return;
    this.sent.push({ at: this.clock.now(), frame });
    const reply = this.answer(frame);
    if (reply) this.clock.setTimer(this.delayMs, () => this.carrier && this.frameListeners.forEach((l) => l(reply)), 'scripted LAN reply');
  }

  private answer(f: LanFrame): LanFrame | undefined {
    if (f.kind === 'arp') {
      return f.op === 'request' && this.hosts.has(f.targetIp) ? { kind: 'arp', op: 'reply', senderMac: '02:00:00:00:00:01', senderIp: f.targetIp, targetIp: f.senderIp, targetMac: f.senderMac } : undefined;
    }
    if (this.dhcp === 'silent') return undefined;
    const l = this.lease;
    const base = { kind: 'dhcp' as const, xid: f.xid, mac: f.mac, serverId: l.serverId };
    const grant = { yiaddr: l.address, prefix: l.prefix, dns: l.dns, leaseS: l.leaseS, ...(l.router ? { router: l.router } : {}) };
    if (f.op === 'discover') return { ...base, op: 'offer', ...grant };
    if (f.op !== 'request') return undefined;
    if (f.ciaddr && !this.renewals) return undefined;
    if (this.dhcp === 'nak') return { ...base, op: 'nak', message: 'address not available' };
    return { ...base, op: 'ack', ...grant };
  }
}
