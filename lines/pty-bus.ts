/**
 * An RS-485 multi-drop line made of ptys, so that every device on it talks through the OS: one
 * socat pty pair per drop, and an in-process hub on the near ends that repeats what one drop
 * sends to every other drop.
 *
 *   device A ── path A ══ socat ══ hub end A ──┐
 *   device B ── path B ══ socat ══ hub end B ──┼── Medium (bus settings: timing, collisions, taps)
 *   device C ── path C ══ socat ══ hub end C ──┘
 *
 * The hub gives the bus its time: bytes a drop hands to the OS occupy the line from when the hub
 * reads them (or from the end of that drop's previous bytes) for their character time at the
 * bus's settings, and reach the other drops when they end (in slices of about `sliceMs` when
 * set; by default each OS read whole, so that a frame written whole arrives in one piece). Two
 * drops whose bytes overlap in time garble each other: every drop gets what a UART at the bus's
 * settings makes of the sum (the same model as `Rs485Bus`), and the trace flags it. A device
 * that should occupy the line for its own line time holds its writes itself (see
 * `scenarios/api/held-endpoint.ts`): a pty hands over a write at once.
 *
 * Limits: a pty has no baud rate and no parity, so the hub knows only the bus's settings, not the
 * settings each device set on its own end; a device that changes baud rate (IEC 62056-21 300 →
 * 9600) is timed at the bus's rate throughout. Receive errors (framing, parity) cannot pass
 * through a pty: the receiving device gets the garbled bytes only.
 */
import type { Clock } from '../core/clock/index.ts';
import { InputError } from '../core/errors.ts';
import type { RxChunk } from './endpoint.ts';
import { Medium, type MediumPort } from './medium.ts';
import { PtyPair } from './pty-pair.ts';
import { SerialPortEndpoint } from './serialport-endpoint.ts';
import { charTimeMs, validateSettings, type LineSettings } from './settings.ts';
import { TapSet, type LineTap } from './tap.ts';

export interface PtyBusOptions {
  clock: Clock;
  /** Line id in traces (`rs485`). */
  line: string;
  /** The bus's settings: the timing of every transmission and how collisions decode. */
  settings: LineSettings;
  /** Line time per slice the hub passes on; 0 (default) passes each OS read whole. */
  sliceMs?: number;
  /** Most drops (default 32, the unit loads of one segment). */
  maxDrops?: number;
  /** The socat program (default `socat` on the PATH). */
  socat?: string;
}

/** One drop of a pty bus: the device path a device opens. */
export interface PtyBusDrop {
  /** `<line>/<name>`: the sender id in traces. */
  readonly id: string;
  readonly name: string;
  /** The device path (a socat link) the device on this drop opens. */
  readonly path: string;
  /** The drop hears its own transmissions (a USB–RS485 adapter with its receiver always on). */
  readonly echo: boolean;
}

/** The hub's end of one drop. */
class HubPort implements MediumPort, PtyBusDrop {
  busyUntil = 0;
  private shut = false;
  constructor(
    readonly id: string,
    readonly name: string,
    readonly path: string,
    readonly echo: boolean,
    private readonly bus: PtyBus,
    readonly pair: PtyPair,
    readonly end: SerialPortEndpoint,
  ) {}
  get settings(): LineSettings {
    return this.bus.settings;
  }
  get closed(): boolean {
    return this.shut;
  }
  deliver(chunk: RxChunk): void {
    if (!this.shut) this.end.write(chunk.bytes).catch(() => {});
  }
  noteIncoming(): void {}
  async close(): Promise<void> {
    this.shut = true;
    await this.end.close();
    await this.pair.stop();
  }
}

export class PtyBus {
  readonly line: string;
  private readonly taps = new TapSet();
  private readonly medium: Medium;
  private readonly ports: HubPort[] = [];
  private current: LineSettings;
  private closing = false;

  constructor(private readonly o: PtyBusOptions) {
    this.line = o.line;
    this.current = { ...validateSettings(o.settings, `bus ${o.line} settings`) };
    this.medium = new Medium(o.clock, o.line, this.taps);
  }

  /** The bus's settings. */
  get settings(): LineSettings {
    return this.current;
  }

  /** The drops attached so far, in order. */
  get drops(): readonly PtyBusDrop[] {
    return this.ports;
  }

  /**
   * Adds a drop: starts its pty pair and opens the hub's end. Resolves with the path the device
   * opens. Throws an `InputError` for a name used twice or too many drops, and socat's
   * `EnvironmentError` when socat is missing.
   */
  async attach(name: string, options: { echo?: boolean } = {}): Promise<PtyBusDrop> {
    const id = `${this.line}/${name}`;
    if (this.closing) throw new InputError(`bus ${this.line}`, 'the bus is closed');
    if (this.ports.some((p) => p.id === id)) throw new InputError(`bus ${this.line}`, `drop '${name}' is already attached`);
    const max = this.o.maxDrops ?? 32;
    if (this.ports.length >= max) throw new InputError(`bus ${this.line}`, `more than ${max} drops`);
    const pair = await PtyPair.start({ name: `${this.line}-${name}`.replace(/[^A-Za-z0-9_-]/g, '_'), clock: this.o.clock, ...(this.o.socat ? { socat: this.o.socat } : {}) });
    let end: SerialPortEndpoint;
    try {
      end = await SerialPortEndpoint.open({ path: pair.a, settings: this.current, clock: this.o.clock, id: `${id}/hub`, line: this.line });
    } catch (err) {
      await pair.stop();
      throw err;
    }
    const port = new HubPort(id, name, pair.b, options.echo ?? false, this, pair, end);
    this.medium.attach(port);
    this.ports.push(port);
    end.onData((chunk) => this.sent(port, chunk.bytes));
    return port;
  }

  /** Records every transmission (and every reception that differs from it, such as a collision). */
  tap(tap: LineTap): () => void {
    return this.taps.add(tap);
  }

  /** Stops every drop's socat and removes the device paths. Idempotent. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.ports.map((p) => p.close()));
  }

  /** Bytes a device handed to its drop: they occupy the line, slice by slice, from now or after its previous bytes. */
  private sent(from: HubPort, bytes: Uint8Array): void {
    if (from.closed || bytes.length === 0) return;
    const charMs = charTimeMs(this.current);
    const sliceMs = this.o.sliceMs ?? 0;
    const per = sliceMs > 0 ? Math.max(1, Math.floor(sliceMs / charMs)) : bytes.length;
    let start = Math.max(this.o.clock.now(), from.busyUntil);
    for (let i = 0; i < bytes.length; i += per) {
      const slice = bytes.slice(i, i + per);
      void this.medium.transmit(from, slice, start);
      start += slice.length * charMs;
    }
    from.busyUntil = start;
  }
}
