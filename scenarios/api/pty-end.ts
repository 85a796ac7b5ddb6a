/**
 * One end of a pty (a socat link) as a UART would be: a pty has no baud rate, parity or timing,
 * so this end keeps its settings itself and gives the line its time.
 *
 * - Settings: `update()` only changes what this end believes; nothing reaches the OS. (serialport
 *   applies a change with tcflush(TCIOFLUSH), which on a pty throws away bytes written but not
 *   yet passed on, and bytes arrived but not yet read: the tail of a readout, a quick answer.)
 * - Received chunks are stamped at these settings: `start` is `end` less their character time.
 * - `hold`: each write is held for its line time before the OS gets it, so its last byte reaches
 *   the other side when it would on a real line, and the device is busy until then, as a
 *   half-duplex RS-485 device is. A number hands it over in slices of about that much line
 *   time (a meter's readout trickles in, its 300-baud identification byte by byte); `whole`
 *   hands it over in one piece after its line time (a Modbus RTU frame must reach the master in
 *   one OS read, or its 3.5-character gap rule splits it); `none` hands it over at once (the
 *   terminal's ends: their answers come back only after the device's reaction time anyway).
 *
 * Writes and settings changes keep their call order.
 */
import type { Clock } from '../../core/clock/index.ts';
import { SerialQueue } from '../../core/serial-queue.ts';
import type { Endpoint, RxChunk } from '../../lines/endpoint.ts';
import { charTimeMs, validateSettings, type LineSettings } from '../../lines/settings.ts';

export type Hold = 'none' | 'whole' | number;

export class PtyEnd implements Endpoint {
  private readonly queue = new SerialQueue();
  private current: LineSettings;

  constructor(
    private readonly inner: Endpoint,
    private readonly clock: Clock,
    private readonly hold: Hold,
    /** The settings this end starts with (default: those the port was opened with). */
    settings: LineSettings = inner.settings,
  ) {
    this.current = { ...validateSettings(settings, `${inner.id} settings`) };
  }

  get id(): string {
    return this.inner.id;
  }
  get line(): string {
    return this.inner.line;
  }
  get settings(): LineSettings {
    return this.current;
  }
  get closed(): boolean {
    return this.inner.closed;
  }

  write(bytes: Uint8Array): Promise<void> {
    if (this.inner.closed) return this.inner.write(bytes);
    const copy = Uint8Array.from(bytes);
    return this.queue.run(async () => {
      if (this.hold === 'none' || copy.length === 0) return this.inner.write(copy);
      const charMs = charTimeMs(this.current);
      const per = this.hold === 'whole' ? copy.length : Math.max(1, Math.floor(this.hold / charMs));
      const began = this.clock.now();
      for (let i = 0; i < copy.length; i += per) {
        const slice = copy.subarray(i, i + per);
        const due = began + (i + slice.length) * charMs - this.clock.now();
        if (due > 0) await this.clock.sleep(due);
        await this.inner.write(slice);
      }
    });
  }

  update(settings: Partial<LineSettings>): Promise<void> {
    const next = validateSettings({ ...this.current, ...settings }, `${this.id} settings`);
    return this.queue.run(async () => {
      this.current = { ...next };
    });
  }

  onData(listener: (chunk: RxChunk) => void): () => void {
    return this.inner.onData((c) => listener({ ...c, start: c.end - c.bytes.length * charTimeMs(this.current) }));
  }

  incomingUntil(): number {
    return this.inner.incomingUntil();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
