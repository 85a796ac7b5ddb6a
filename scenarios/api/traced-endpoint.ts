/**
 * An endpoint on an OS port (pty or adapter) that reports its traffic to line taps, as the
 * simulated lines do: each write is a `tx` record at the sender's settings (its end estimated
 * from the character time), and, where the sender is not traced itself (a physical device on a
 * rig), each received chunk is an `rx` record. With `echo` the end hears its own writes, as an
 * optical probe or a 2-wire adapter does.
 */
import type { Clock } from '../../core/clock/index.ts';
import type { Endpoint, RxChunk } from '../../lines/endpoint.ts';
import { EndpointWrapper } from '../../lines/endpoint-wrapper.ts';
import { charTimeMs } from '../../lines/settings.ts';
import type { LineTap } from '../../lines/tap.ts';

export interface TracedEndpointOptions {
  clock: Clock;
  tap: LineTap;
  /** Record received chunks too (the far end is a device nothing else traces). */
  rx?: boolean;
  /** Deliver each write back to this end's listeners once sent, flagged `echo`. */
  echo?: boolean;
}

export class TracedEndpoint extends EndpointWrapper {
  private readonly listeners = new Set<(chunk: RxChunk) => void>();

  constructor(
    inner: Endpoint,
    private readonly o: TracedEndpointOptions,
  ) {
    super(inner);
    inner.onData((c) => {
      if (o.rx) o.tap({ kind: 'rx', line: inner.line, to: inner.id, start: c.start, end: c.end, bytes: c.bytes, settings: { ...inner.settings } });
      this.emit(c);
    });
  }

  override async write(bytes: Uint8Array): Promise<void> {
    if (this.inner.closed) return this.inner.write(bytes);
    const copy = Uint8Array.from(bytes);
    const settings = { ...this.inner.settings };
    const start = this.o.clock.now();
    const end = start + copy.length * charTimeMs(settings);
    const sent = this.inner.write(copy);
    if (copy.length > 0) this.o.tap({ kind: 'tx', line: this.line, from: this.id, start, end, bytes: copy, settings, ...(this.o.echo ? { echo: true } : {}) });
    await sent;
    if (this.o.echo && copy.length > 0) this.emit({ bytes: copy, start, end: Math.max(end, this.o.clock.now()), echo: true });
  }

  override onData(listener: (chunk: RxChunk) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  override async close(): Promise<void> {
    this.listeners.clear();
    await this.inner.close();
  }

  private emit(c: RxChunk): void {
    for (const l of [...this.listeners]) l(c);
  }
}
