/** A growable byte buffer for frames under assembly. */
export class ByteBuffer {
  private buf = new Uint8Array(64);
  length = 0;

  push(b: number): void {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = b;
  }

  at(i: number): number | undefined {
    return i >= 0 && i < this.length ? this.buf[i] : undefined;
  }

  last(): number | undefined {
    return this.at(this.length - 1);
  }

  /** A copy of the content. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  clear(): void {
    this.length = 0;
    if (this.buf.length > 4096) this.buf = new Uint8Array(64);
  }
}
