/**
 * The bookkeeping every `ByteLink` kind shares: data and close listeners, and closing once with
 * a reason. A link kind keeps one of these and hands `onData`/`onClose` through to it.
 */
export class LinkEvents {
  private readonly dataListeners = new Set<(bytes: Uint8Array) => void>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  private isClosed = false;
  /** Why the link closed, once closed. */
  reason: string | undefined;

  get closed(): boolean {
    return this.isClosed;
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Hands received bytes to the data listeners; nothing once closed. */
  receive(bytes: Uint8Array): void {
    if (this.isClosed) return;
    for (const l of [...this.dataListeners]) l(bytes);
  }

  /** Marks the link closed and tells the close listeners, once; false when it already was. */
  shut(reason: string): boolean {
    if (this.isClosed) return false;
    this.isClosed = true;
    this.reason = reason;
    for (const l of [...this.closeListeners]) l(reason);
    this.closeListeners.clear();
    this.dataListeners.clear();
    return true;
  }
}
