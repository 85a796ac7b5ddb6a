import type { ByteError } from './endpoint.ts';
import type { LineSettings } from './settings.ts';

/**
 * What a line tap sees. `tx`: bytes put on the line by one end, with that end's settings.
 * `rx`: what one end received, recorded when it differs from what was sent (settings mismatch,
 * collision); clean receptions are implied by the `tx` record.
 */
export type LineEvent =
  | {
      kind: 'tx';
      line: string;
      from: string;
      start: number;
      end: number;
      bytes: Uint8Array;
      settings: LineSettings;
      /** The sender's adapter echoed these bytes back to it. */
      echo?: boolean;
    }
  | {
      kind: 'rx';
      line: string;
      to: string;
      /** Further ends (same settings) that received the same bytes. */
      more?: number;
      start: number;
      end: number;
      bytes: Uint8Array;
      settings: LineSettings;
      errors?: readonly ByteError[];
      collision?: boolean;
      /** The sender's settings, when they differ from the receiver's. */
      mismatch?: LineSettings;
    }
  | {
      /** A marker from a component on the line's side: a fault switched on, a note for the report. */
      kind: 'note';
      line: string;
      from: string;
      time: number;
      text: string;
    };

export type LineTap = (event: LineEvent) => void;

/** A set of taps that lines publish to. */
export class TapSet {
  private readonly taps = new Set<LineTap>();
  add(tap: LineTap): () => void {
    this.taps.add(tap);
    return () => this.taps.delete(tap);
  }
  emit(event: LineEvent): void {
    for (const t of this.taps) t(event);
  }
  get size(): number {
    return this.taps.size;
  }
}
