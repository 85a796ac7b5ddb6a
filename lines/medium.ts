/**
 * The simulated medium behind virtual wires and RS-485 buses. A transmission occupies the medium
 * from its first start bit to its last stop bit, at the sender's settings. It is delivered to
 * every listener when it ends, unless it overlapped another transmission on the same medium: then
 * the whole overlapping group is decoded from the merged waveform by each listener and delivered,
 * flagged as a collision, when the last of the group ends.
 */
import type { Clock } from '../core/clock/index.ts';
import type { ByteError, RxChunk } from './endpoint.ts';
import { charTimeMs, sameFraming, type LineSettings } from './settings.ts';
import type { TapSet } from './tap.ts';
import { decodeWaveform, encodeWaveform, mergeWaveforms, type Waveform } from './uart.ts';

/** What a medium needs from an attached end. */
export interface MediumPort {
  readonly id: string;
  readonly settings: LineSettings;
  readonly closed: boolean;
  /** Echo own transmissions back (USB–RS485 adapters, optical probes). */
  readonly echo: boolean;
  deliver(chunk: RxChunk): void;
  noteIncoming(until: number): void;
}

interface Transmission {
  from: MediumPort;
  bytes: Uint8Array;
  settings: LineSettings;
  start: number;
  end: number;
  ended: boolean;
}

export class Medium {
  private readonly listeners: MediumPort[] = [];
  private pending: Transmission[] = [];

  constructor(
    private readonly clock: Clock,
    readonly line: string,
    private readonly taps: TapSet,
  ) {}

  attach(port: MediumPort): void {
    this.listeners.push(port);
  }

  /** Puts bytes on the medium starting at `start` (>= now); resolves when the last bit is sent. */
  transmit(from: MediumPort, bytes: Uint8Array, start: number): Promise<void> {
    const settings = { ...from.settings };
    // A 7-bit UART cannot send bit 7: what goes on the line is the low seven bits.
    if (settings.dataBits === 7) bytes = bytes.map((b) => b & 0x7f);
    const t: Transmission = { from, bytes, settings, start, end: start + bytes.length * charTimeMs(settings), ended: false };
    this.pending.push(t);
    for (const l of this.listeners) if (l !== from || l.echo) l.noteIncoming(t.end);
    return new Promise<void>((resolve) => {
      this.clock.setTimer(
        t.end - this.clock.now(),
        () => {
          t.ended = true;
          this.finish(t);
          resolve();
        },
        `${this.line}: transmission from ${from.id} ends`,
      );
    });
  }

  private finish(t: Transmission): void {
    const group = this.overlapGroup(t);
    if (group.some((g) => !g.ended)) return;
    this.pending = this.pending.filter((p) => !group.includes(p));
    if (group.length === 1) this.deliverClean(t);
    else this.deliverCollision(group);
  }

  /** Transmissions connected to `t` by overlapping in time. */
  private overlapGroup(t: Transmission): Transmission[] {
    const group = [t];
    let lo = t.start;
    let hi = t.end;
    let grew = true;
    while (grew) {
      grew = false;
      for (const p of this.pending) {
        if (!group.includes(p) && p.start < hi && p.end > lo) {
          group.push(p);
          lo = Math.min(lo, p.start);
          hi = Math.max(hi, p.end);
          grew = true;
        }
      }
    }
    return group;
  }

  private deliverClean(t: Transmission): void {
    const echo = t.from.echo ? { echo: true } : {};
    this.taps.emit({ kind: 'tx', line: this.line, from: t.from.id, start: t.start, end: t.end, bytes: t.bytes, settings: t.settings, ...echo });
    const mismatched: MediumPort[] = [];
    for (const l of this.listeners) {
      if (l.closed) continue;
      if (l === t.from) {
        if (l.echo) l.deliver({ bytes: t.bytes, start: t.start, end: t.end, echo: true });
        continue;
      }
      if (sameFraming(l.settings, t.settings)) l.deliver({ bytes: t.bytes, start: t.start, end: t.end });
      else mismatched.push(l);
    }
    if (mismatched.length) this.deliverDecoded(mismatched, encodeWaveform(t.bytes, t.settings, t.start), false, t.settings);
  }

  private deliverCollision(group: Transmission[]): void {
    for (const t of group) {
      this.taps.emit({ kind: 'tx', line: this.line, from: t.from.id, start: t.start, end: t.end, bytes: t.bytes, settings: t.settings });
    }
    const merged = mergeWaveforms(group.map((t) => ({ bytes: t.bytes, settings: t.settings, start: t.start })));
    const hearers = this.listeners.filter((l) => !l.closed && (!group.some((t) => t.from === l) || l.echo));
    this.deliverDecoded(hearers, merged, true, undefined);
  }

  /**
   * What each listener's UART makes of a waveform. Listeners with the same settings read the
   * same bytes: the waveform is decoded once per setting, and traced once with the count of
   * further listeners that got the same.
   */
  private deliverDecoded(listeners: MediumPort[], waveform: Waveform, collision: boolean, sent: LineSettings | undefined): void {
    const groups = new Map<string, MediumPort[]>();
    for (const l of listeners) {
      const key = `${l.settings.baudRate}/${l.settings.dataBits}/${l.settings.parity}/${l.settings.stopBits}`;
      const g = groups.get(key);
      if (g) g.push(l);
      else groups.set(key, [l]);
    }
    for (const group of groups.values()) {
      const first = group[0]!;
      const decoded = decodeWaveform(waveform, first.settings);
      if (decoded.length === 0) continue;
      const bytes = Uint8Array.from(decoded, (d) => d.value);
      const errors: ByteError[] = [];
      decoded.forEach((d, index) => d.error && errors.push({ index, kind: d.error }));
      const chunk: RxChunk = { bytes, start: decoded[0]!.start, end: decoded[decoded.length - 1]!.end };
      if (errors.length) chunk.errors = errors;
      if (collision) chunk.collision = true;
      if (sent) chunk.mismatch = sent;
      this.taps.emit({
        kind: 'rx',
        line: this.line,
        to: first.id,
        ...(group.length > 1 ? { more: group.length - 1 } : {}),
        start: chunk.start,
        end: chunk.end,
        bytes,
        settings: { ...first.settings },
        ...(errors.length ? { errors } : {}),
        ...(collision ? { collision } : {}),
        ...(sent ? { mismatch: sent } : {}),
      });
      const lateBy = chunk.end - this.clock.now();
      const deliver = () => {
        for (const l of group) l.deliver(chunk);
      };
      if (lateBy > 1e-9) this.clock.setTimer(lateBy, deliver, `${this.line}: decoded bytes reach ${first.id}`);
      else deliver();
    }
  }
}
