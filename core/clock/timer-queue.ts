/** A binary min-heap of timers ordered by due time, then by creation order (stable, so runs repeat). */
export interface QueuedTimer {
  due: number;
  seq: number;
  label: string;
  callback: () => void;
  cancelled: boolean;
  /** Set once popped to fire: a later cancel does nothing. */
  fired?: boolean;
}

export class TimerQueue {
  private heap: QueuedTimer[] = [];
  private live = 0;

  get size(): number {
    return this.live;
  }

  push(t: QueuedTimer): void {
    this.heap.push(t);
    this.live++;
    this.up(this.heap.length - 1);
  }

  cancel(t: QueuedTimer): void {
    if (t.cancelled || t.fired) return;
    t.cancelled = true;
    this.live--;
  }

  /** The next live timer without removing it. */
  peek(): QueuedTimer | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  pop(): QueuedTimer | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (!top) return undefined;
    this.removeTop();
    this.live--;
    top.fired = true;
    return top;
  }

  /** Labels of live timers, soonest first, for reports. */
  labels(max: number): string[] {
    return this.heap
      .filter((t) => !t.cancelled)
      .sort(order)
      .slice(0, max)
      .map((t) => t.label);
  }

  private dropCancelled(): void {
    while (this.heap[0]?.cancelled) this.removeTop();
  }

  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (order(h[i]!, h[parent]!) >= 0) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && order(h[l]!, h[m]!) < 0) m = l;
      if (r < h.length && order(h[r]!, h[m]!) < 0) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

function order(a: QueuedTimer, b: QueuedTimer): number {
  return a.due - b.due || a.seq - b.seq;
}
