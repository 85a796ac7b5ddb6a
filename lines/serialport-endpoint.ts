import { SerialPortStream, type StreamOptions } from '@serialport/stream';
import { SerialPort } from 'serialport';
import type { Clock } from '../core/clock/index.ts';
import { SerialQueue } from '../core/serial-queue.ts';
import { CancelledError, EnvironmentError, HtHilError } from '../core/errors.ts';
import type { Endpoint, RxChunk } from './endpoint.ts';
import { charTimeMs, validateSettings, type LineSettings } from './settings.ts';

export interface SerialPortEndpointOptions {
  path: string;
  settings: LineSettings;
  clock: Clock;
  /** Trace id of this end; defaults to the path. */
  id?: string;
  /** Line id; defaults to the path. */
  line?: string;
  /**
   * Hold each write for the time its characters take on a real line. For ptys, which have no
   * baud rate; leave off for real ports, whose UART paces itself.
   */
  pace?: boolean;
  /** Another binding (e.g. @serialport/binding-mock) instead of the OS one. */
  binding?: Binding;
  /**
   * Apply `update()` to the OS port (default true). A pty ignores line settings, and changing
   * them flushes it, throwing away bytes in flight (the tail of a meter's readout): for ptys,
   * keep the settings in memory only (`isPtyPath`).
   */
  osSettings?: boolean;
}

type AnyPort = SerialPortStream;
/** A serialport binding (the OS one, or @serialport/binding-mock). */
export type Binding = StreamOptions<never>['binding'];

/**
 * An `Endpoint` over a `serialport` port: a USB–RS485 adapter, an on-board UART or one end of a
 * socat pty pair.
 *
 * Timing: the OS hands over bytes in chunks; a chunk's `end` is the clock time it was read and
 * its `start` is estimated back from its length at the line's character time. `incomingUntil()`
 * is 0: the OS does not say what is still on its way. USB adapters add latency (typically 1–16 ms),
 * so a Modbus 3.5-character gap cannot be detected reliably above a few thousand baud.
 *
 * `update()`: a baud rate change is applied on the open port (as IEC 62056-21's 300 → 9600
 * switch needs); a change of data bits, parity or stop bits closes and reopens the port.
 */
export class SerialPortEndpoint implements Endpoint {
  readonly id: string;
  readonly line: string;
  private current: LineSettings;
  private port!: AnyPort;
  private readonly listeners = new Set<(chunk: RxChunk) => void>();
  private readonly queue = new SerialQueue();
  private isClosed = false;

  private constructor(private readonly options: SerialPortEndpointOptions) {
    this.id = options.id ?? options.path;
    this.line = options.line ?? options.path;
    this.current = { ...validateSettings(options.settings, `${this.id} settings`) };
  }

  /** Opens the port; rejects with a message naming the path and the OS error. */
  static async open(options: SerialPortEndpointOptions): Promise<SerialPortEndpoint> {
    const ep = new SerialPortEndpoint(options);
    await ep.openPort();
    return ep;
  }

  get settings(): LineSettings {
    return this.current;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.isClosed) return Promise.reject(new CancelledError(`${this.id} is closed`));
    const copy = Buffer.from(bytes);
    return this.queue.run(async () => {
      if (copy.length === 0) return;
      const began = this.options.clock.now();
      await new Promise<void>((resolve, reject) => {
        this.port.write(copy, (err) => (err ? reject(wrap(this.id, 'write', err)) : resolve()));
      });
      await new Promise<void>((resolve, reject) => this.port.drain((err) => (err ? reject(wrap(this.id, 'drain', err)) : resolve())));
      if (this.options.pace) {
        const lineTime = copy.length * charTimeMs(this.current);
        const left = began + lineTime - this.options.clock.now();
        if (left > 0) await this.options.clock.sleep(left);
      }
    });
  }

  update(settings: Partial<LineSettings>): Promise<void> {
    const next = validateSettings({ ...this.current, ...settings }, `${this.id} settings`);
    return this.queue.run(async () => {
      const framingChanged = next.dataBits !== this.current.dataBits || next.parity !== this.current.parity || next.stopBits !== this.current.stopBits;
      this.current = { ...next };
      if (this.options.osSettings === false) return;
      if (framingChanged) {
        await this.closePort();
        await this.openPort();
      } else {
        await new Promise<void>((resolve, reject) =>
          this.port.update({ baudRate: next.baudRate }, (err) => (err ? reject(wrap(this.id, 'set baud rate', err)) : resolve())),
        );
      }
    });
  }

  onData(listener: (chunk: RxChunk) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  incomingUntil(): number {
    return 0;
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.listeners.clear();
    await this.closePort();
  }

  private async openPort(): Promise<void> {
    const s = this.current;
    const common = { path: this.options.path, baudRate: s.baudRate, dataBits: s.dataBits, parity: s.parity, stopBits: s.stopBits, autoOpen: false } as const;
    this.port = this.options.binding ? new SerialPortStream({ ...common, binding: this.options.binding } as ConstructorParameters<typeof SerialPortStream>[0]) : new SerialPort(common);
    await new Promise<void>((resolve, reject) => this.port.open((err) => (err ? reject(wrap(this.id, `open ${this.options.path}`, err)) : resolve())));
    this.port.on('data', (data: Buffer) => this.received(data));
    this.port.on('error', () => {
      /* reported through the failing call */
    });
  }

  private async closePort(): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) return;
    port.removeAllListeners('data');
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private received(data: Buffer): void {
    if (this.isClosed || data.length === 0) return;
    const end = this.options.clock.now();
    const chunk: RxChunk = { bytes: new Uint8Array(data), start: end - data.length * charTimeMs(this.current), end };
    for (const l of [...this.listeners]) l(chunk);
  }

}

function wrap(id: string, what: string, err: Error): HtHilError {
  if (/ENOENT|No such file/.test(err.message)) return new EnvironmentError(`${id}: ${what}: no such device (${err.message})`, { cause: err });
  if (/EACCES|Permission denied/.test(err.message)) {
    return new EnvironmentError(`${id}: ${what}: permission denied; add the user to the 'dialout' group (${err.message})`, { cause: err });
  }
  return new HtHilError('E_SERIAL', `${id}: ${what} failed: ${err.message}`, { cause: err });
}
