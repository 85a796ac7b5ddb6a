/**
 * The fake cloud's uplink listener: a `LinkAcceptor` that runs a `ServerSession` on every link
 * it is handed: in-memory links in virtual mode (`MemoryDialer`), TCP links from `listenTcp`.
 * It authenticates modems against the store, stores and acknowledges their records, sends them
 * pushes (queued in the store until acknowledged, so they survive reconnects and restarts of a
 * file-backed cloud), and carries the fault switches scenarios use.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import { createLogger, type Logger } from '../../core/log.ts';
import type { ByteLink, LinkAcceptor } from '../../lines/net/link.ts';
import { NONCE_BYTES } from '../../protocols/uplink/auth.ts';
import type { PushKind, RecordMessage } from '../../protocols/uplink/messages.ts';
import type { PushRow, Store } from '../store/store.ts';
import { noFaults, type UplinkFaults } from './faults.ts';
import { ServerSession } from './server-session.ts';

export interface UplinkServerOptions {
  clock: Clock;
  store: Store;
  logger?: Logger;
  /**
   * Source of CHALLENGE nonces. Default: random bytes on a real clock; on a virtual clock a
   * fixed sequence (SHA-256 of a counter), so that a virtual run repeats byte for byte.
   */
  nonce?: () => Uint8Array;
  /** `retryInMs` of NACKs (default 30 s). */
  retryInMs?: number;
  /** A link that has not authenticated by then is closed (default 30 s). */
  helloTimeoutMs?: number;
  /** A link silent for this long is closed (default 15 min). */
  idleTimeoutMs?: number;
  /** Accept the payload compression a terminal offers (default true; false: a cloud without it). */
  compression?: boolean;
}

export interface StoredRecordEvent {
  modemNo: string;
  record: RecordMessage;
  duplicate: boolean;
}

export class UplinkServer implements LinkAcceptor {
  /** Fault switches; change them at any time. */
  readonly faults: UplinkFaults = noFaults();
  private readonly clock: Clock;
  private readonly store: Store;
  private readonly log: Logger;
  private readonly nonce: () => Uint8Array;
  private readonly sessions = new Set<ServerSession>();
  private readonly byModem = new Map<string, ServerSession>();
  private readonly recordListeners = new Set<(e: StoredRecordEvent) => void>();
  private readonly pushAckListeners = new Set<(p: PushRow) => void>();
  private readonly onlineListeners = new Set<(modemNo: string) => void>();
  private closed = false;

  constructor(private readonly options: UplinkServerOptions) {
    this.clock = options.clock;
    this.store = options.store;
    this.log = options.logger ?? createLogger('fake-cloud', { part: 'uplink' });
    this.nonce = options.nonce ?? (this.clock.virtual ? countingNonces() : () => new Uint8Array(randomBytes(NONCE_BYTES)));
  }

  accept(link: ByteLink): void {
    if (this.closed) {
      link.close('cloud stopped');
      return;
    }
    if (this.faults.refuseConnections !== undefined) {
      this.log.info({ link: link.id, reason: this.faults.refuseConnections }, 'fault: refusing connection');
      link.close(this.faults.refuseConnections);
      return;
    }
    const o = this.options;
    const session: ServerSession = new ServerSession({
      clock: this.clock,
      link,
      store: this.store,
      faults: this.faults,
      log: this.log,
      nonce: this.nonce,
      retryInMs: o.retryInMs ?? 30_000,
      helloTimeoutMs: o.helloTimeoutMs ?? 30_000,
      idleTimeoutMs: o.idleTimeoutMs ?? 15 * 60_000,
      acceptCompression: o.compression ?? true,
      onOnline: (s) => {
        const no = s.modemNo!;
        const older = this.byModem.get(no);
        if (older && older !== s) older.end('replaced by a new connection', true);
        this.byModem.set(no, s);
        for (const l of [...this.onlineListeners]) {
          try {
            l(no);
          } catch (err) {
            this.log.error({ modem: no, err: String(err) }, 'modem-online listener failed');
          }
        }
      },
      onClosed: (s, reason) => {
        this.sessions.delete(s);
        const no = s.modemNo;
        if (no && this.byModem.get(no) === s) this.byModem.delete(no);
        this.log.info({ modem: no, link: s.link.id, reason }, 'uplink session closed');
      },
      onRecordStored: (modemNo, record, duplicate) => {
        for (const l of [...this.recordListeners]) l({ modemNo, record, duplicate });
      },
      onPushAck: (modemNo, id, ok, text) => {
        if (this.store.ackPush(modemNo, id, ok, text, Math.round(this.clock.now()))) {
          const p = this.store.push(id)!;
          for (const l of [...this.pushAckListeners]) l(p);
        }
      },
    });
    this.sessions.add(session);
    session.start();
  }

  /** Sets some fault switches (the others keep their values). */
  setFaults(faults: Partial<UplinkFaults>): void {
    Object.assign(this.faults, faults);
  }

  /** Storing fails for the next `forMs` ms of clock time: records get NACK `text`. */
  failStorage(forMs: number, text = 'storage error: database unavailable'): void {
    this.setFaults({ storageErrorUntil: this.clock.now() + forMs, storageErrorText: text });
  }

  clearFaults(): void {
    Object.assign(this.faults, noFaults());
  }

  /**
   * Queues a push for a modem and sends it now if the modem is online; it is sent again on
   * every new session until the modem acknowledges it.
   */
  push(modemNo: string, kind: PushKind, body: unknown): PushRow {
    this.store.requireModem(modemNo);
    if (kind !== 'config' && kind !== 'command') throw new InputError('push', `field 'kind': expected 'config' or 'command', got '${String(kind)}'`);
    const p = this.store.queuePush(modemNo, kind, body, Math.round(this.clock.now()));
    this.byModem.get(modemNo)?.sendPush(p);
    return p;
  }

  isOnline(modemNo: string): boolean {
    return this.byModem.get(modemNo)?.online ?? false;
  }

  /** Modems with an authenticated session, by number. */
  onlineModems(): string[] {
    return [...this.byModem.keys()].sort();
  }

  /** Drops the link of a modem without a word (a network fault seen from the cloud). */
  dropModem(modemNo: string, reason = 'fault: link dropped'): boolean {
    const s = this.byModem.get(modemNo);
    if (!s) return false;
    s.drop(reason);
    return true;
  }

  /** Called for every record received and handled (stored, or a duplicate). */
  onRecord(listener: (e: StoredRecordEvent) => void): () => void {
    this.recordListeners.add(listener);
    return () => this.recordListeners.delete(listener);
  }

  /**
   * Called when a modem's session is authenticated (WELCOME sent), before the modem's open pushes
   * are sent: a push a listener queues in the store goes out in this session.
   */
  onModemOnline(listener: (modemNo: string) => void): () => void {
    this.onlineListeners.add(listener);
    return () => this.onlineListeners.delete(listener);
  }

  /** Called when a push is acknowledged for the first time. */
  onPushAck(listener: (p: PushRow) => void): () => void {
    this.pushAckListeners.add(listener);
    return () => this.pushAckListeners.delete(listener);
  }

  /** Closes every session (with BYE) and refuses new links. */
  close(reason = 'cloud stopping'): void {
    this.closed = true;
    for (const s of [...this.sessions]) s.end(reason, true);
  }
}

function countingNonces(): () => Uint8Array {
  let n = 0;
  return () => new Uint8Array(createHash('sha256').update(`ht-hil fake cloud nonce ${++n}`).digest().subarray(0, NONCE_BYTES));
}
