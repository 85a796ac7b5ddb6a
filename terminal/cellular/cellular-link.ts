/**
 * A `ByteLink` over the module's one TCP socket: writes go out in chunks of at most the
 * module's send size through the dialect's send command; received bytes are read with the
 * dialect's read command when the module announces them; the link closes on the module's close
 * and PDP-loss URCs with the reason named, or on `close()` (CIPCLOSE / QICLOSE).
 */
import type { Clock } from '../../core/clock/index.ts';
import { CancelledError, errorMessage } from '../../core/errors.ts';
import type { ByteLink } from '../../lines/net/link.ts';
import { LinkEvents } from '../../lines/net/link-events.ts';
import { SerialQueue } from '../../core/serial-queue.ts';
import { AtTimeoutError } from './at-runner.ts';
import type { CellDialect, SocketEvent } from './dialect.ts';
import type { ModemManager } from './modem-manager.ts';

/** Wait for a URC naming a better reason after a failed send (the module sends it right after SEND FAIL). */
const SEND_FAIL_GRACE_MS = 2_000;

/** The link of one socket. Created by `CellularDialer`. */
export class CellularLink implements ByteLink {
  private readonly events = new LinkEvents();
  private readonly writes = new SerialQueue();
  private reading = false;
  private readAgain = false;
  private readonly unsubscribe: () => void;

  constructor(
    readonly id: string,
    private readonly manager: ModemManager,
    private readonly dialect: CellDialect,
    private readonly clock: Clock,
  ) {
    this.unsubscribe = manager.onSocketEvent((e) => this.event(e));
  }

  get closed(): boolean {
    return this.events.closed;
  }

  /** Why the link closed, once closed. */
  get closeReason(): string | undefined {
    return this.events.reason;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.events.closed) return Promise.reject(new CancelledError(`${this.id}: link closed (${this.closeReason})`));
    const copy = Uint8Array.from(bytes);
    return this.writes.run(() => this.send(copy));
  }

  onData(listener: (b: Uint8Array) => void): () => void {
    return this.events.onData(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    return this.events.onClose(listener);
  }

  close(reason = 'closed by the terminal'): void {
    if (this.events.closed) return;
    this.shut(reason);
    void this.dialect.close(this.manager.at).catch(() => undefined);
  }

  private async send(bytes: Uint8Array): Promise<void> {
    const max = this.dialect.maxSend;
    for (let i = 0; i < bytes.length; i += max) {
      if (this.events.closed) throw new CancelledError(`${this.id}: link closed (${this.closeReason})`);
      try {
        await this.dialect.send(this.manager.at, bytes.subarray(i, Math.min(bytes.length, i + max)));
      } catch (err) {
        const why = `send failed: ${errorMessage(err)}`;
        if (err instanceof AtTimeoutError) {
          this.close(`module not answering (${why})`);
        } else {
          this.clock.setTimer(SEND_FAIL_GRACE_MS, () => this.close(why), `${this.id}: close after send failure`);
        }
        throw err;
      }
    }
  }

  private event(e: SocketEvent): void {
    if (this.events.closed) return;
    if (e.kind === 'data-ready') {
      void this.drain();
      return;
    }
    if (e.kind === 'closed') {
      this.close(e.reason);
      return;
    }
    this.shut(e.reason);
    void this.dialect.close(this.manager.at).catch(() => undefined);
  }

  private async drain(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        const bytes = await this.dialect.read(this.manager.at);
        if (bytes.length > 0) this.events.receive(bytes);
      } while (this.readAgain && !this.events.closed);
    } catch (err) {
      if (err instanceof AtTimeoutError) {
        this.close(`module not answering (read failed: ${errorMessage(err)})`);
      }
    } finally {
      this.reading = false;
    }
  }

  private shut(reason: string): void {
    // Stop hearing socket events before the close listeners run (they may redial at once).
    if (this.events.closed) return;
    this.unsubscribe();
    this.events.shut(reason);
  }
}
