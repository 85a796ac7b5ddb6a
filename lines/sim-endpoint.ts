import type { Clock } from '../core/clock/index.ts';
import { SerialQueue } from '../core/serial-queue.ts';
import { CancelledError } from '../core/errors.ts';
import type { Endpoint, RxChunk } from './endpoint.ts';
import type { Medium, MediumPort } from './medium.ts';
import { validateSettings, type LineSettings } from './settings.ts';

export interface SimEndpointOptions {
  /** The end hears its own transmissions (USB–RS485 adapter echo, optical probe echo). */
  echo?: boolean;
}

/** An end of a simulated line (virtual wire or RS-485 drop): a UART on a `Medium`. */
export class SimEndpoint implements Endpoint, MediumPort {
  private current: LineSettings;
  private readonly listeners = new Set<(chunk: RxChunk) => void>();
  private readonly queue = new SerialQueue();
  private rxUntil = 0;
  private isClosed = false;
  readonly echo: boolean;

  constructor(
    private readonly clock: Clock,
    readonly id: string,
    readonly line: string,
    settings: LineSettings,
    private readonly medium: Medium,
    options: SimEndpointOptions = {},
  ) {
    this.current = { ...validateSettings(settings, `${id} settings`) };
    this.echo = options.echo ?? false;
  }

  get settings(): LineSettings {
    return this.current;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.isClosed) return Promise.reject(new CancelledError(`${this.id} is closed`));
    const copy = Uint8Array.from(bytes);
    return this.queue.run(async () => {
      if (this.isClosed) throw new CancelledError(`${this.id} closed before its bytes were sent`);
      if (copy.length > 0) await this.medium.transmit(this, copy, this.clock.now());
    });
  }

  update(settings: Partial<LineSettings>): Promise<void> {
    const next = validateSettings({ ...this.current, ...settings }, `${this.id} settings`);
    return this.queue.run(async () => {
      this.current = { ...next };
    });
  }

  onData(listener: (chunk: RxChunk) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  incomingUntil(): number {
    return this.rxUntil;
  }

  async close(): Promise<void> {
    this.isClosed = true;
    this.listeners.clear();
  }

  /** @internal called by the medium. */
  deliver(chunk: RxChunk): void {
    if (this.isClosed) return;
    for (const l of [...this.listeners]) l(chunk);
  }

  /** @internal called by the medium when bytes start their way here. */
  noteIncoming(until: number): void {
    if (until > this.rxUntil) this.rxUntil = until;
  }

}
