/**
 * An endpoint that wraps another and passes everything through; a subclass overrides what it
 * changes (a write held to line time, a tap on the bytes, …).
 */
import type { Endpoint, RxChunk } from './endpoint.ts';
import type { LineSettings } from './settings.ts';

export class EndpointWrapper implements Endpoint {
  constructor(readonly inner: Endpoint) {}
  get id(): string {
    return this.inner.id;
  }
  get line(): string {
    return this.inner.line;
  }
  get settings(): LineSettings {
    return this.inner.settings;
  }
  get closed(): boolean {
    return this.inner.closed;
  }
  write(bytes: Uint8Array): Promise<void> {
    return this.inner.write(bytes);
  }
  update(settings: Partial<LineSettings>): Promise<void> {
    return this.inner.update(settings);
  }
  onData(listener: (chunk: RxChunk) => void): () => void {
    return this.inner.onData(listener);
  }
  incomingUntil(): number {
    return this.inner.incomingUntil();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
