/**
 * One uplink session over one link, terminal side: HELLO → CHALLENGE → AUTH → WELCOME, then
 * records out in seq order (at most `window` unacknowledged on the wire), ACK/NACK in, pushes
 * answered, keepalive. The session ends when the link closes, for whatever reason; `run()`
 * resolves with that reason. Reconnecting is the client's business.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { ByteLink } from '../../lines/net/link.ts';
import { authMacHex } from '../../protocols/uplink/auth.ts';
import { UplinkEncoder } from '../../protocols/uplink/codec.ts';
import { DEFLATE_WINDOW } from '../../protocols/uplink/compression.ts';
import { UplinkDecoder } from '../../protocols/uplink/decoder.ts';
import type { PushMessage, UplinkMessage, WelcomeMessage } from '../../protocols/uplink/messages.ts';
import type { Outbox } from './outbox.ts';
import type { UplinkTiming } from './timing.ts';

export interface UplinkIdentity {
  modemNo: string;
  /** Secret key provisioned at manufacture; the cloud holds the same. */
  secret: string;
  /** Terminal model, e.g. `HT G21`. */
  model: string;
  firmware: string;
}

/** What a push handler answers; `text` explains a refusal. */
export interface PushResult {
  ok: boolean;
  text?: string;
}
export type PushHandler = (push: Pick<PushMessage, 'id' | 'kind' | 'body'>) => PushResult | Promise<PushResult>;

export interface SessionDeps {
  clock: Clock;
  link: ByteLink;
  identity: UplinkIdentity;
  outbox: Outbox;
  timing: UplinkTiming;
  window: number;
  log: Logger;
  pushHandler: () => PushHandler | undefined;
  /** Push ids already answered (id → result), shared across sessions of one client. */
  pushResults: Map<string, PushResult>;
  onAuthenticating(): void;
  onOnline(welcome: WelcomeMessage): void;
  /** A frame went out or came in (for the data LED). */
  onTraffic(): void;
  /** A problem worth showing as the last error, though the session goes on. */
  onWarning(text: string): void;
  /** Offer compression in HELLO. */
  compress: boolean;
}

export interface SessionOutcome {
  /** The session reached WELCOME. */
  online: boolean;
  /** Why it ended. */
  reason: string;
}

type Phase = 'hello' | 'auth' | 'online' | 'closed';

const PUSH_MEMORY = 64;

export class ClientSession {
  private phase: Phase = 'hello';
  private readonly decoder = new UplinkDecoder({ compressAfter: (m) => m.type === 'welcome' && m.z === DEFLATE_WINDOW });
  private readonly encoder = new UplinkEncoder();
  private nextToSend = 0;
  private pausedUntil = 0;
  private pingCount = 0;
  private endReason: string | undefined;
  private reachedOnline = false;
  /** WELCOME received (its outbox work may still be running). */
  private welcomed = false;
  private readonly timers = new Map<string, Timer>();
  private chain: Promise<void> = Promise.resolve();
  private readonly unsubscribe: (() => void)[] = [];
  private resolveRun!: (o: SessionOutcome) => void;
  readonly done: Promise<SessionOutcome>;

  constructor(private readonly d: SessionDeps) {
    this.done = new Promise((r) => (this.resolveRun = r));
  }

  /** Starts the handshake; resolves when the link is gone. */
  run(): Promise<SessionOutcome> {
    const { link, identity, outbox } = this.d;
    this.unsubscribe.push(link.onData((b) => this.receive(b)));
    this.unsubscribe.push(link.onClose((reason) => this.finish(this.endReason ?? `link closed: ${reason}`)));
    if (link.closed) this.finish('link closed before the session started');
    else {
      this.d.onAuthenticating();
      this.arm('handshake', this.d.timing.handshakeTimeoutMs, () => this.end(`no WELCOME within ${this.d.timing.handshakeTimeoutMs} ms of HELLO`));
      this.send({
        type: 'hello',
        modemNo: identity.modemNo,
        model: identity.model,
        firmware: identity.firmware,
        lastAckedSeq: outbox.lastAcked,
        ...(this.d.compress ? { z: [DEFLATE_WINDOW] } : {}),
      });
    }
    return this.done;
  }

  /** The link is gone and the session over. */
  get ended(): boolean {
    return this.phase === 'closed';
  }

  get online(): boolean {
    return this.phase === 'online';
  }

  /** Records in flight (sent, not yet acknowledged). */
  get inFlight(): number {
    return this.phase === 'online' ? Math.max(0, this.nextToSend - 1 - this.d.outbox.lastAcked) : 0;
  }

  /** Ends the session: optionally says BYE, then closes the link. */
  end(reason: string, bye = false): void {
    if (this.phase === 'closed') return;
    this.endReason ??= reason;
    if (bye && !this.d.link.closed) this.send({ type: 'bye', reason });
    this.d.link.close(reason);
    this.finish(reason);
  }

  /** Sends what the window allows (new records appended, an ACK made room, a pause ended). */
  pump(): void {
    if (this.phase !== 'online') return;
    const { outbox, clock, window } = this.d;
    if (clock.now() < this.pausedUntil) return;
    this.nextToSend = Math.max(this.nextToSend, outbox.lastAcked + 1);
    const room = window - this.inFlight;
    if (room > 0) {
      for (const r of outbox.pending(this.nextToSend, room)) {
        this.send({ type: 'record', seq: r.seq, at: r.at, kind: r.kind, body: r.body });
        this.nextToSend = r.seq + 1;
      }
    }
    if (this.inFlight > 0 && !this.timers.has('ack')) this.armAckTimer();
  }

  private send(m: UplinkMessage): void {
    let bytes: Uint8Array;
    try {
      bytes = this.encoder.encode(m);
    } catch (err) {
      this.d.log.error({ err: errorMessage(err), type: m.type }, 'cannot encode uplink message');
      this.end(`cannot send ${m.type}: ${errorMessage(err)}`);
      return;
    }
    this.d.onTraffic();
    this.d.link.write(bytes).catch(() => undefined); // a failed write shows up as the link closing
  }

  private receive(bytes: Uint8Array): void {
    if (this.phase === 'closed') return;
    this.d.onTraffic();
    if (this.phase === 'online') this.armKeepalive();
    for (const ev of this.decoder.push(bytes)) {
      if (ev.kind === 'error') {
        this.d.log.warn({ err: ev.error.detail }, 'uplink framing fault');
        this.d.onWarning(`uplink framing fault: ${ev.error.detail}`);
        // A lost frame leaves the compression windows apart: start a new session.
        if (this.decoder.compressing) return this.end(`uplink framing fault with compression on: ${ev.error.detail}`);
        continue;
      }
      this.handle(ev.message);
      if (this.ended) return;
    }
  }

  private handle(m: UplinkMessage): void {
    const { identity } = this.d;
    // Once WELCOME is in, what follows it (a PUSH or ACK in the same chunk) is handled as
    // online: it queues behind the WELCOME's outbox work, in arrival order.
    switch (this.phase === 'online' || this.welcomed ? m.type : `${this.phase}:${m.type}`) {
      case 'hello:challenge':
        this.phase = 'auth';
        this.send({ type: 'auth', mac: authMacHex(identity.secret, (m as { nonce: string }).nonce) });
        return;
      case 'hello:reject':
      case 'auth:reject':
      case 'reject': {
        const r = m as { reason: string; text: string };
        this.end(`rejected by the cloud: ${r.reason}${r.text ? `: ${r.text}` : ''}`);
        return;
      }
      case 'auth:welcome':
        this.welcomed = true;
        if ((m as WelcomeMessage).z === DEFLATE_WINDOW) this.encoder.startCompression();
        this.serialize(() => this.welcome(m as WelcomeMessage));
        return;
      case 'ack':
        this.serialize(() => this.ack((m as { upTo: number }).upTo));
        return;
      case 'nack':
        this.nack(m as { seq: number; reason: string; retryInMs: number });
        return;
      case 'push':
        this.serialize(() => this.push(m as PushMessage));
        return;
      case 'ping':
        this.send({ type: 'pong', n: (m as { n: number }).n });
        return;
      case 'pong':
        this.cancel('pong');
        return;
      case 'hello:bye':
      case 'auth:bye':
      case 'bye':
        this.end(`cloud closed the session: ${(m as { reason: string }).reason}`);
        return;
      default:
        this.end(`protocol error: unexpected ${m.type.toUpperCase()} while ${this.phase === 'online' ? 'online' : `waiting for ${this.phase === 'hello' ? 'CHALLENGE' : 'WELCOME'}`}`);
    }
  }

  /** Runs message handling that touches the outbox one at a time, in arrival order. */
  private serialize(work: () => Promise<void>): void {
    this.chain = this.chain.then(async () => {
      if (this.phase === 'closed') return;
      try {
        await work();
      } catch (err) {
        this.end(`outbox failure: ${errorMessage(err)}`);
      }
    });
  }

  private async welcome(w: WelcomeMessage): Promise<void> {
    const { outbox, log } = this.d;
    this.cancel('handshake');
    if (w.upTo >= outbox.nextSeq) {
      log.warn({ cloudUpTo: w.upTo, nextSeq: outbox.nextSeq }, 'the cloud holds seqs this outbox never handed out: rebasing');
      await outbox.rebase(w.upTo);
    } else if (w.upTo > outbox.lastAcked) await outbox.ack(w.upTo);
    if (this.ended) return;
    this.phase = 'online';
    this.reachedOnline = true;
    this.nextToSend = outbox.lastAcked + 1;
    this.d.onOnline(w);
    this.armKeepalive();
    this.pump();
  }

  private async ack(upTo: number): Promise<void> {
    const before = this.d.outbox.lastAcked;
    if (upTo >= this.nextToSend) {
      this.d.log.warn({ upTo, sent: this.nextToSend - 1 }, 'ACK beyond what was sent');
      upTo = this.nextToSend - 1;
    }
    if (upTo > before) {
      await this.d.outbox.ack(upTo);
      this.cancel('ack');
    }
    this.pump();
  }

  private nack(n: { seq: number; reason: string; retryInMs: number }): void {
    const { clock, outbox } = this.d;
    this.d.onWarning(`cloud could not store record ${n.seq}: ${n.reason}`);
    this.nextToSend = Math.max(outbox.lastAcked + 1, Math.min(this.nextToSend, n.seq));
    this.pausedUntil = clock.now() + n.retryInMs;
    this.cancel('ack');
    this.arm('resume', n.retryInMs, () => this.pump());
  }

  private async push(p: PushMessage): Promise<void> {
    const known = this.d.pushResults.get(p.id);
    let result: PushResult;
    if (known) result = known;
    else {
      const handler = this.d.pushHandler();
      try {
        result = handler ? await handler({ id: p.id, kind: p.kind, body: p.body }) : { ok: false, text: `no handler for ${p.kind} pushes` };
      } catch (err) {
        result = { ok: false, text: errorMessage(err).slice(0, 256) };
      }
      this.d.pushResults.set(p.id, result);
      if (this.d.pushResults.size > PUSH_MEMORY) this.d.pushResults.delete(this.d.pushResults.keys().next().value!);
    }
    if (this.ended) return;
    this.send(result.text === undefined ? { type: 'push-ack', id: p.id, ok: result.ok } : { type: 'push-ack', id: p.id, ok: result.ok, text: result.text.slice(0, 256) });
  }

  private armAckTimer(): void {
    const ms = this.d.timing.ackTimeoutMs;
    this.arm('ack', ms, () => this.end(`no ACK for record ${this.d.outbox.lastAcked + 1} within ${ms} ms`));
  }

  private armKeepalive(): void {
    const { keepaliveMs, pongTimeoutMs } = this.d.timing;
    this.cancel('pong');
    this.arm('keepalive', keepaliveMs, () => {
      this.send({ type: 'ping', n: ++this.pingCount });
      this.arm('pong', pongTimeoutMs, () => this.end(`no answer to keepalive within ${pongTimeoutMs} ms`));
    });
  }

  private arm(name: string, ms: number, fire: () => void): void {
    this.cancel(name);
    this.timers.set(
      name,
      this.d.clock.setTimer(
        ms,
        () => {
          this.timers.delete(name);
          fire();
        },
        `uplink ${this.d.identity.modemNo}: ${name}`,
      ),
    );
  }

  private cancel(name: string): void {
    this.timers.get(name)?.cancel();
    this.timers.delete(name);
  }

  private finish(reason: string): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const u of this.unsubscribe) u();
    this.resolveRun({ online: this.reachedOnline, reason: this.endReason ?? reason });
  }
}
