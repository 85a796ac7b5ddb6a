/**
 * The terminal's side of the USB configuration port (protocol: `protocols/usb-config`). It
 * answers one request at a time, in arrival order:
 *
 * - IDENTIFY: model, modem number, firmware, MAC;
 * - READ-NET: the stored settings, `applied=no` when they differ from those in use;
 * - WRITE-NET: validates (the codec names the field and offset of a bad value), stores the
 *   settings in flash and answers; they take effect at the next restart. The USB LED blinks
 *   from the request until the answer, and at least `usbBlinkMinMs`;
 * - STATUS: the interface now;
 * - RESTART: answers, then asks the owner to restart the terminal `restartDelayMs` later.
 *
 * A line that does not decode gets an ERR answer with its seq (0 when unknown) and the codec's
 * error; nothing a host sends can stop the server.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { SerialQueue } from '../../core/serial-queue.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import {
  decodeRequest,
  encodeAnswer,
  errorAnswerFor,
  LineFramer,
  sameNetworkSettings,
  UsbConfigError,
  type NetworkSettings,
  type NetworkStatus,
  type TerminalIdentity,
  type UsbAnswer,
  type UsbRequest,
} from '../../protocols/usb-config/index.ts';
import type { LedState } from '../leds.ts';
import type { InterfaceStatus } from './ethernet.ts';
import type { NetworkSettingsStore } from './settings-file.ts';
import type { NetworkTiming } from './timing.ts';

export interface UsbConfigServerOptions {
  clock: Clock;
  endpoint: Endpoint;
  identity: TerminalIdentity;
  store: NetworkSettingsStore;
  /** What the store held at start. */
  stored: NetworkSettings;
  /** The settings in use since start. */
  applied: NetworkSettings;
  status: () => InterfaceStatus;
  /** Restarts the terminal; without it RESTART is refused (`busy`). */
  restart?: () => void;
  /** The USB LED. */
  led: (state: LedState) => void;
  timing: NetworkTiming;
  log: Logger;
}

export class UsbConfigServer {
  private stored: NetworkSettings;
  private readonly framer = new LineFramer();
  private readonly queue = new SerialQueue();
  private off: (() => void) | undefined;
  private ledTimer: Timer | undefined;
  private restartTimer: Timer | undefined;
  private last: Promise<void> = Promise.resolve();
  /** Every request handled, with its answer (for tests and traces). */
  readonly log: { request: UsbRequest | undefined; answer: UsbAnswer }[] = [];

  constructor(private readonly o: UsbConfigServerOptions) {
    this.stored = o.stored;
  }

  /** The settings in flash now (the ones the next start applies). */
  get storedSettings(): NetworkSettings {
    return this.stored;
  }

  start(): void {
    if (this.off) return;
    this.framer.reset();
    this.off = this.o.endpoint.onData((chunk) => {
      for (const ev of this.framer.push(chunk.bytes)) {
        this.last = this.queue
          .run(() => (ev.kind === 'line' ? this.handle(ev.bytes) : this.answer(undefined, errorAnswerFor(ev.error))))
          .catch((err: unknown) => this.o.log.error({ err }, 'USB port: request not handled'));
      }
    });
  }

  /** Stops listening; resolves once the request in hand is answered. A pending restart is cancelled. */
  async stop(): Promise<void> {
    this.off?.();
    this.off = undefined;
    this.restartTimer?.cancel();
    await this.last;
    this.ledTimer?.cancel();
    this.o.led('off');
  }

  private async handle(line: Uint8Array): Promise<void> {
    let req: UsbRequest;
    try {
      req = decodeRequest(line);
    } catch (err) {
      if (!(err instanceof UsbConfigError)) throw err;
      this.o.log.info({ detail: err.detail }, 'USB port: request refused');
      await this.answer(undefined, errorAnswerFor(err));
      return;
    }
    const { seq } = req;
    switch (req.command) {
      case 'identify':
        return this.answer(req, { seq, ok: true, command: 'identify', identity: this.o.identity });
      case 'read-net':
        return this.answer(req, { seq, ok: true, command: 'read-net', settings: this.stored, applied: this.applied() });
      case 'status':
        return this.answer(req, { seq, ok: true, command: 'status', status: this.status() });
      case 'write-net':
        return this.write(req);
      case 'restart': {
        const restart = this.o.restart;
        if (!restart) return this.answer(req, { seq, ok: false, command: 'restart', code: 'busy', text: 'this terminal has no way to restart itself here' });
        await this.answer(req, { seq, ok: true, command: 'restart', inMs: this.o.timing.restartDelayMs });
        this.o.log.info('USB port: restart requested');
        this.restartTimer = this.o.clock.setTimer(this.o.timing.restartDelayMs, restart, 'USB port: restart');
        return;
      }
    }
  }

  private async write(req: Extract<UsbRequest, { command: 'write-net' }>): Promise<void> {
    const { clock } = this.o;
    const began = clock.now();
    this.ledTimer?.cancel();
    this.o.led('blink');
    try {
      await this.o.store.save(req.settings);
      this.stored = req.settings;
      this.o.log.info({ settings: req.settings }, 'USB port: network settings stored; applied at the next restart');
      await this.answer(req, { seq: req.seq, ok: true, command: 'write-net', applied: this.applied() });
    } catch (err) {
      this.o.log.error({ err }, 'USB port: network settings not stored');
      await this.answer(req, { seq: req.seq, ok: false, command: 'write-net', code: 'storage', text: printable(`flash write failed: ${errorMessage(err)}`) });
    } finally {
      this.ledTimer = clock.setTimer(Math.max(0, began + this.o.timing.usbBlinkMinMs - clock.now()), () => this.o.led('off'), 'USB LED: write done');
    }
  }

  private applied(): boolean {
    return sameNetworkSettings(this.stored, this.o.applied);
  }

  private status(): NetworkStatus {
    const s = this.o.status();
    return { ...s, ...(s.problem !== undefined ? { problem: printable(s.problem) } : {}), applied: this.applied() };
  }

  private async answer(req: UsbRequest | undefined, a: UsbAnswer): Promise<void> {
    this.log.push({ request: req, answer: a });
    try {
      await this.o.endpoint.write(encodeAnswer(a));
    } catch (err) {
      this.o.log.warn({ err }, 'USB port: answer not sent');
    }
  }
}

/** A text the line grammar can carry: printable ASCII, at most 200 characters. */
function printable(text: string): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 197)}...` : clean;
}
