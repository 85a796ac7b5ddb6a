/**
 * The electrical face of the terminal's I/O block, as its firmware sees it: contact states and
 * edges of the dry-contact inputs (IN1, IN2), the relay coils (C1, C2), and whether mains
 * voltage is present at the supply terminals (AC models). Numbers start at 1. On the bench this
 * is the site's I/O panel; on a rig, the GPIOs of the board.
 */
import type { RecordInput } from '../../protocols/uplink/records.ts';

export interface IoPins {
  /** Raw contact state of input `n` now (true: closed). */
  input(n: number): boolean;
  /** Calls `listener` on every raw edge of any input, bounces included. Returns the unsubscribe. */
  onInput(listener: (n: number, closed: boolean) => void): () => void;
  /** Energises (true) or releases relay `n`. */
  setRelay(n: number, on: boolean): void;
  /** Mains voltage present now (a DC-supplied model: always true). */
  mains(): boolean;
  /** Calls `listener` on every mains change. Returns the unsubscribe. */
  onMains(listener: (present: boolean) => void): () => void;
}

/** Where the I/O code puts its records (the terminal's outbox); resolves once stored. */
export type IoSink = (record: RecordInput) => Promise<void>;
