/**
 * The terminal's DHCP client (RFC 2131, the parts a small device uses):
 *
 * ```
 *  INIT ──DISCOVER──▶ SELECTING ──OFFER──▶ REQUESTING ──ACK──▶ BOUND ──T1──▶ RENEWING ──T2──▶ REBINDING
 *   ▲  no OFFER in a round: "no answer",       │ NAK / no ACK        ▲  ACK      │ ACK          │ ACK
 *   │  new round after retryAfterMs            ▼                     └───────────┴──────────────┘
 *   └──────────────────────────────────────── INIT ◀── NAK, or the lease ran out ──────────────────
 *  start() with a lease still valid: REBOOTING (REQUEST for the old address) ─ACK▶ BOUND, else INIT
 * ```
 *
 * Messages go out through the `LanPort` and replies are matched by transaction id and MAC. All
 * waiting is on the clock; there is no random jitter, so a virtual run repeats exactly. The
 * client runs while it is started (the owner starts it with carrier and stops it without);
 * it remembers its lease across a stop, for the REBOOTING of the next start.
 */
import type { Clock } from '../../core/clock/index.ts';
import { CancelledError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { waitForFrame } from './frame-wait.ts';
import type { DhcpMessage, LanFrame, LanPort } from './lan-port.ts';
import type { NetworkTiming } from './timing.ts';

export type DhcpState = 'stopped' | 'init' | 'selecting' | 'requesting' | 'rebooting' | 'bound' | 'renewing' | 'rebinding';

/** A lease as the server gave it, with its times on the clock. */
export interface DhcpLease {
  address: string;
  prefix: number;
  gateway: string | undefined;
  dns: readonly string[];
  serverId: string;
  leaseS: number;
  boundAt: number;
  t1At: number;
  t2At: number;
  expiresAt: number;
}

export interface DhcpClientOptions {
  clock: Clock;
  port: LanPort;
  mac: string;
  hostname?: string;
  timing: NetworkTiming;
  log: Logger;
}

/** Subnet mask when an ACK carries none: the subnet of the classful address (RFC 1122 3.3.1.3 asks for option 1; 24 is the common case). */
const DEFAULT_PREFIX = 24;

/** An ACK that names the address, or a NAK. */
const ackOrNak = (m: DhcpMessage): boolean => (m.op === 'ack' && m.yiaddr !== undefined) || m.op === 'nak';

export class DhcpClient {
  private current: DhcpState = 'stopped';
  private bound: DhcpLease | undefined;
  private remembered: DhcpLease | undefined;
  private why: string | undefined;
  private xid: number;
  private running: { stop: AbortController; done: Promise<void> } | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly o: DhcpClientOptions) {
    // A transaction id from the MAC: distinct per terminal, the same on every run.
    this.xid = [...o.mac.replace(/:/g, '')].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7) & 0x7fffffff;
  }

  get state(): DhcpState {
    return this.current;
  }

  /** The lease in use (bound, renewing, rebinding), or undefined. */
  get lease(): DhcpLease | undefined {
    return this.bound;
  }

  /** Why the client has no address, in words, while it has none: `DHCP got no answer`. */
  get problem(): string | undefined {
    return this.why;
  }

  /** Called on every change of state, lease or problem. Returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts acquiring (or confirming a remembered lease). Does nothing while running. */
  start(): void {
    if (this.running) return;
    const stop = new AbortController();
    const done = this.run(stop.signal).catch((err: unknown) => {
      if (!(err instanceof CancelledError)) this.o.log.error({ err }, 'DHCP client failed');
    });
    this.running = { stop, done };
  }

  /** Stops at once; the lease is no longer in use but remembered for the next start. */
  async stop(): Promise<void> {
    const r = this.running;
    if (!r) return;
    this.running = undefined;
    // Bookkeeping first: a start() right after this call must see the remembered lease.
    if (this.bound) this.remembered = this.bound;
    this.bound = undefined;
    this.why = undefined;
    r.stop.abort();
    this.set('stopped');
    await r.done;
  }

  private set(state: DhcpState, why?: string): void {
    this.current = state;
    if (why !== undefined) this.why = why;
    for (const l of [...this.listeners]) l();
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { clock } = this.o;
    for (;;) {
      const old = this.remembered && this.remembered.expiresAt > clock.now() ? this.remembered : undefined;
      this.remembered = undefined;
      let lease = old ? await this.reboot(old, signal) : undefined;
      lease ??= await this.acquire(signal);
      if (!lease) continue;
      const lost = await this.keep(lease, signal);
      this.o.log.warn({ address: this.bound?.address, why: lost }, 'DHCP lease lost');
      this.bound = undefined;
      this.set('init', `lease lost: ${lost}`);
    }
  }

  /** INIT → SELECTING → REQUESTING. Undefined after a round with no lease (having waited to retry). */
  private async acquire(signal: AbortSignal): Promise<DhcpLease | undefined> {
    const { timing } = this.o;
    const xid = this.nextXid();
    this.set('selecting');
    const offer = await this.exchange(() => this.message('discover', xid), (m) => m.op === 'offer' && m.yiaddr !== undefined && m.serverId !== undefined, xid, timing.discoverWaitsMs, signal);
    if (!offer) return this.giveUp('DHCP got no answer', signal);
    this.set('requesting');
    const reply = await this.exchange(
      () => this.message('request', xid, { requested: offer.yiaddr!, serverId: offer.serverId! }),
      ackOrNak,
      xid,
      timing.requestWaitsMs,
      signal,
    );
    if (!reply) return this.giveUp(`DHCP server ${offer.serverId} offered ${offer.yiaddr} but did not acknowledge the request`, signal);
    if (reply.op === 'nak') return this.giveUp(`DHCP server refused (NAK${reply.message ? `: ${reply.message}` : ''})`, signal);
    return this.leaseOf(reply);
  }

  /** REBOOTING: asks to keep the old address; undefined on NAK or no answer (then INIT). */
  private async reboot(old: DhcpLease, signal: AbortSignal): Promise<DhcpLease | undefined> {
    const xid = this.nextXid();
    this.set('rebooting');
    const reply = await this.exchange(() => this.message('request', xid, { requested: old.address }), ackOrNak, xid, this.o.timing.requestWaitsMs, signal);
    if (reply?.op === 'ack') return this.leaseOf(reply);
    this.o.log.info({ address: old.address, reply: reply?.op ?? 'none' }, 'DHCP: old address not confirmed');
    return undefined;
  }

  private async giveUp(why: string, signal: AbortSignal): Promise<undefined> {
    this.o.log.warn({ why }, 'DHCP: no address');
    this.set('init', why);
    await this.o.clock.sleep(this.o.timing.retryAfterMs, signal);
    return undefined;
  }

  /** BOUND → RENEWING → REBINDING, for as long as the server extends the lease. Resolves with why it was lost. */
  private async keep(first: DhcpLease, signal: AbortSignal): Promise<string> {
    const { clock, timing } = this.o;
    let lease = first;
    for (;;) {
      this.bound = lease;
      this.why = undefined;
      this.set('bound');
      this.o.log.info({ address: lease.address, prefix: lease.prefix, gateway: lease.gateway, leaseS: lease.leaseS }, 'DHCP: bound');
      await clock.sleep(lease.t1At - clock.now(), signal);
      let renewed: DhcpMessage | undefined;
      for (const phase of ['renewing', 'rebinding'] as const) {
        this.set(phase);
        const until = phase === 'renewing' ? lease.t2At : lease.expiresAt;
        const xid = this.nextXid();
        while (!renewed && clock.now() < until) {
          const left = until - clock.now();
          const wait = Math.min(left, Math.max(left / 2, timing.renewMinWaitMs));
          this.o.port.send(this.message('request', xid, { ciaddr: lease.address, ...(phase === 'renewing' ? { to: lease.serverId } : {}) }));
          renewed = await waitForFrame(clock, this.o.port, this.replyTo(xid, ackOrNak), wait, signal, `DHCP ${phase}`);
        }
        if (renewed) break;
      }
      if (!renewed) return `lease of ${lease.address} ran out (no answer while renewing and rebinding)`;
      if (renewed.op === 'nak') return `DHCP server refused the renewal (NAK${renewed.message ? `: ${renewed.message}` : ''})`;
      lease = this.leaseOf(renewed);
    }
  }

  /** Sends `make()` and waits for a reply, once per entry of `waits`. */
  private async exchange(make: () => DhcpMessage, accept: (m: DhcpMessage) => boolean, xid: number, waits: readonly number[], signal: AbortSignal): Promise<DhcpMessage | undefined> {
    for (const ms of waits) {
      this.o.port.send(make());
      const got = await waitForFrame(this.o.clock, this.o.port, this.replyTo(xid, accept), ms, signal, 'DHCP reply');
      if (got) return got;
    }
    return undefined;
  }

  private replyTo(xid: number, accept: (m: DhcpMessage) => boolean): (f: LanFrame) => f is DhcpMessage {
    return (f): f is DhcpMessage => f.kind === 'dhcp' && f.xid === xid && f.mac === this.o.mac && accept(f);
  }

  private message(op: DhcpMessage['op'], xid: number, extra: Partial<DhcpMessage> = {}): DhcpMessage {
    return { kind: 'dhcp', op, xid, mac: this.o.mac, ...(this.o.hostname ? { hostname: this.o.hostname } : {}), ...extra };
  }

  private nextXid(): number {
    this.xid = (this.xid + 1) & 0x7fffffff;
    return this.xid;
  }

  private leaseOf(ack: DhcpMessage): DhcpLease {
    const now = this.o.clock.now();
    const leaseS = Math.max(60, ack.leaseS ?? 3600);
    return {
      address: ack.yiaddr!,
      prefix: ack.prefix ?? DEFAULT_PREFIX,
      gateway: ack.router,
      dns: ack.dns ?? [],
      serverId: ack.serverId ?? ack.to ?? '',
      leaseS,
      boundAt: now,
      t1At: now + leaseS * 500,
      t2At: now + leaseS * 875,
      expiresAt: now + leaseS * 1000,
    };
  }
}
