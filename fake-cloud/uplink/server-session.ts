/**
 * One uplink session, cloud side: HELLO → CHALLENGE → AUTH → WELCOME (or REJECT), then records
 * stored and acknowledged, pushes sent, keepalive answered.
 *
 * Acknowledgement rule. The session keeps `upTo`, the highest seq below which the modem's
 * records are all accounted for; it starts at max(the store's high-water mark, the HELLO's
 * `lastAckedSeq`) (the latter covers a cloud that lost its data). A record with seq ≤ upTo is a
 * resend: stored again only if missing (never twice), and acked. seq = upTo + 1 is stored and
 * moves upTo. seq > upTo + 1 means the terminal skipped seqs (they do not exist on its side):
 * the record is stored, a `seq-gap` cloud event names the missing range, and upTo moves. Every
 * ACK carries upTo (cumulative).
 *
 * When storing fails, the session answers NACK and ignores (neither stores nor acks) every
 * later record until seq = upTo + 1 comes again, so a later record is never acked across the
 * hole. A record whose body fails validation is stored raw with its error, flagged with an
 * `invalid-record` cloud event, and acked: a bad record must not block the ones behind it.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { ByteLink } from '../../lines/net/link.ts';
import { verifyAuthMac } from '../../protocols/uplink/auth.ts';
import { UplinkEncoder } from '../../protocols/uplink/codec.ts';
import { DEFLATE_WINDOW } from '../../protocols/uplink/compression.ts';
import { UplinkDecoder } from '../../protocols/uplink/decoder.ts';
import type { HelloMessage, RecordMessage, UplinkMessage } from '../../protocols/uplink/messages.ts';
import { validateRecordBody } from '../../protocols/uplink/records.ts';
import type { PushRow, Store } from '../store/store.ts';
import type { UplinkFaults } from './faults.ts';

export interface ServerSessionDeps {
  clock: Clock;
  link: ByteLink;
  store: Store;
  faults: UplinkFaults;
  log: Logger;
  nonce: () => Uint8Array;
  retryInMs: number;
  helloTimeoutMs: number;
  idleTimeoutMs: number;
  /** Accept a compression method a terminal offers in HELLO. */
  acceptCompression: boolean;
  /** Called once authenticated; the server closes an older session of the same modem. */
  onOnline(session: ServerSession): void;
  onClosed(session: ServerSession, reason: string): void;
  onRecordStored(modemNo: string, record: RecordMessage, duplicate: boolean): void;
  onPushAck(modemNo: string, id: string, ok: boolean, text: string | undefined): void;
}

type Phase = 'hello' | 'auth' | 'online' | 'closed';

export class ServerSession {
  private phase: Phase = 'hello';
  /** Compression agreed in this session (offered in HELLO, accepted by this cloud). */
  private compression = false;
  private readonly decoder = new UplinkDecoder({ compressAfter: (m) => m.type === 'auth' && this.compression });
  private readonly encoder = new UplinkEncoder();
  private hello: HelloMessage | undefined;
  private nonceHex = '';
  private upTo = 0;
  private rewinding = false;
  private readonly timers = new Set<Timer>();
  private helloTimer: Timer | undefined;
  private idleTimer: Timer | undefined;
  /** Records received on this session (stored or not). */
  recordsReceived = 0;

  constructor(private readonly d: ServerSessionDeps) {}

  get modemNo(): string | undefined {
    return this.phase === 'online' || this.phase === 'closed' ? this.hello?.modemNo : undefined;
  }

  get online(): boolean {
    return this.phase === 'online';
  }

  get link(): ByteLink {
    return this.d.link;
  }

  start(): void {
    const { link, helloTimeoutMs } = this.d;
    link.onData((b) => this.receive(b));
    link.onClose((reason) => this.finish(`link closed: ${reason}`));
    this.helloTimer = this.d.clock.setTimer(
      helloTimeoutMs,
      () => {
        this.helloTimer = undefined;
        this.end(`no authentication within ${helloTimeoutMs} ms`, true);
      },
      'cloud session: handshake',
    );
    this.armIdle();
  }

  /** Ends the session: optionally with BYE, then closes the link. */
  end(reason: string, bye = false): void {
    if (this.phase === 'closed') return;
    if (bye) this.send({ type: 'bye', reason });
    this.d.link.close(reason);
    this.finish(reason);
  }

  /** Drops the link without a word (a network fault). */
  drop(reason: string): void {
    const l = this.d.link as ByteLink & { drop?: (r: string) => void };
    if (l.drop) l.drop(reason);
    else l.close(reason);
    this.finish(reason);
  }

  /** Sends a queued push (only once online). */
  sendPush(p: PushRow): void {
    if (this.phase !== 'online') return;
    this.d.store.notePushSent(p.id);
    this.send({ type: 'push', id: p.id, kind: p.kind, body: p.body });
  }

  private send(m: UplinkMessage): void {
    this.d.link.write(this.encoder.encode(m)).catch(() => undefined);
  }

  private receive(bytes: Uint8Array): void {
    if (this.phase === 'closed') return;
    this.armIdle();
    for (const ev of this.decoder.push(bytes)) {
      if (ev.kind === 'error') {
        this.d.log.warn({ err: ev.error.detail, modem: this.hello?.modemNo }, 'uplink framing fault');
        // A lost frame leaves the compression windows apart: the terminal must start anew.
        if (this.decoder.compressing) return this.end(`framing fault with compression on: ${ev.error.detail}`, true);
        continue;
      }
      try {
        this.handle(ev.message);
      } catch (err) {
        this.d.log.error({ err: errorMessage(err) }, 'uplink session failure');
        this.end(`cloud failure: ${errorMessage(err)}`, true);
      }
      if (this.ended) return;
    }
  }

  private get ended(): boolean {
    return this.phase === 'closed';
  }

  private handle(m: UplinkMessage): void {
    const key = this.phase === 'online' ? m.type : `${this.phase}:${m.type}`;
    switch (key) {
      case 'hello:hello':
        return this.onHello(m as HelloMessage);
      case 'auth:auth':
        return this.onAuth((m as { mac: string }).mac);
      case 'record':
        return this.onRecord(m as RecordMessage);
      case 'push-ack': {
        const a = m as { id: string; ok: boolean; text?: string };
        this.d.onPushAck(this.hello!.modemNo, a.id, a.ok, a.text);
        return;
      }
      case 'ping':
        return this.send({ type: 'pong', n: (m as { n: number }).n });
      case 'pong':
        return;
      case 'hello:bye':
      case 'auth:bye':
      case 'bye':
        return this.end(`terminal closed the session: ${(m as { reason: string }).reason}`);
      default:
        this.end(`protocol error: unexpected ${m.type.toUpperCase()} ${this.phase === 'online' ? 'while online' : `before authentication`}`, true);
    }
  }

  private onHello(h: HelloMessage): void {
    const modem = this.d.store.modem(h.modemNo);
    if (!modem) {
      this.d.store.addCloudEvent(h.modemNo, 'auth-failed', this.now(), { reason: 'unknown-modem' });
      this.reject('unknown-modem', `modem ${h.modemNo} is not provisioned`);
      return;
    }
    this.hello = h;
    this.compression = this.d.acceptCompression && (h.z ?? []).includes(DEFLATE_WINDOW);
    this.phase = 'auth';
    this.nonceHex = Buffer.from(this.d.nonce()).toString('hex');
    this.send({ type: 'challenge', nonce: this.nonceHex });
  }

  private onAuth(mac: string): void {
    const h = this.hello!;
    const modem = this.d.store.modem(h.modemNo);
    if (!modem || !verifyAuthMac(modem.secret, this.nonceHex, mac)) {
      this.d.store.addCloudEvent(h.modemNo, 'auth-failed', this.now(), { reason: 'bad-auth' });
      this.reject('bad-auth', `authentication failed: the HMAC does not match the key of modem ${h.modemNo}`);
      return;
    }
    this.helloTimer?.cancel();
    this.helloTimer = undefined;
    this.phase = 'online';
    this.upTo = Math.max(modem.upTo, h.lastAckedSeq);
    this.d.store.noteHello(h.modemNo, h, this.now());
    this.d.log.info({ modem: h.modemNo, upTo: modem.upTo, terminalAcked: h.lastAckedSeq }, 'modem online');
    this.send({ type: 'welcome', serverTime: this.now(), configVersion: modem.configVersion, upTo: modem.upTo, ...(this.compression ? { z: DEFLATE_WINDOW } : {}) });
    if (this.compression) this.encoder.startCompression();
    this.d.onOnline(this);
    for (const p of this.d.store.openPushes(h.modemNo)) this.sendPush(p);
  }

  private reject(reason: 'unknown-modem' | 'bad-auth', text: string): void {
    this.d.log.warn({ modem: this.hello?.modemNo, reason }, 'session rejected');
    this.send({ type: 'reject', reason, text });
    this.d.link.close(`rejected: ${reason}`);
    this.finish(`rejected: ${reason}`);
  }

  private onRecord(r: RecordMessage): void {
    const { store, faults, log } = this.d;
    const modemNo = this.hello!.modemNo;
    this.recordsReceived++;
    if (this.rewinding) {
      if (r.seq !== this.upTo + 1) return;
      this.rewinding = false;
    }
    const now = this.now();
    if (faults.storageErrorUntil !== undefined && now < faults.storageErrorUntil) {
      this.nack(r.seq, faults.storageErrorText);
      return;
    }
    const check = validateRecordBody(r.kind, r.body);
    const error = check.ok ? undefined : check.error.detail;
    const gapFrom = this.upTo + 1;
    const nextUpTo = r.seq > this.upTo ? r.seq : this.upTo;
    let stored: boolean;
    try {
      stored = store.storeRecord({ modemNo, record: { seq: r.seq, at: r.at, kind: r.kind, body: check.ok ? check.body : r.body }, receivedAt: now, error, upTo: nextUpTo });
    } catch (err) {
      log.error({ err: errorMessage(err), modem: modemNo, seq: r.seq }, 'cannot store record');
      this.nack(r.seq, `storage error: ${errorMessage(err)}`);
      return;
    }
    if (r.seq > gapFrom) {
      log.warn({ modem: modemNo, from: gapFrom, to: r.seq - 1 }, 'seq gap');
      store.addCloudEvent(modemNo, 'seq-gap', now, { from: gapFrom, to: r.seq - 1 });
    }
    if (error && stored) store.addCloudEvent(modemNo, 'invalid-record', now, { seq: r.seq, kind: r.kind, error });
    this.upTo = nextUpTo;
    this.d.onRecordStored(modemNo, r, !stored);
    if (faults.dropAfterRecords !== undefined && --faults.dropAfterRecords <= 0) {
      faults.dropAfterRecords = undefined;
      log.warn({ modem: modemNo, seq: r.seq }, 'fault: dropping the link before the ACK');
      this.drop(`fault: link dropped after record ${r.seq}`);
      return;
    }
    this.ack(this.upTo);
  }

  private nack(seq: number, reason: string): void {
    this.rewinding = true;
    this.send({ type: 'nack', seq, reason: reason.slice(0, 256), retryInMs: this.d.retryInMs });
  }

  private ack(upTo: number): void {
    const delay = this.d.faults.ackDelayMs;
    if (delay <= 0) {
      this.send({ type: 'ack', upTo });
      return;
    }
    const t = this.d.clock.setTimer(
      delay,
      () => {
        this.timers.delete(t);
        if (!this.ended) this.send({ type: 'ack', upTo });
      },
      'cloud session: delayed ack',
    );
    this.timers.add(t);
  }

  private armIdle(): void {
    this.idleTimer?.cancel();
    const ms = this.d.idleTimeoutMs;
    this.idleTimer = this.d.clock.setTimer(
      ms,
      () => {
        this.idleTimer = undefined;
        this.end(`idle for ${ms} ms`, true);
      },
      'cloud session: idle',
    );
  }

  private now(): number {
    return Math.round(this.d.clock.now());
  }

  private finish(reason: string): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    this.helloTimer?.cancel();
    this.idleTimer?.cancel();
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.d.onClosed(this, reason);
  }
}
