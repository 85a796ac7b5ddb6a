import type { LineSettings } from './settings.ts';

/** A receive error a UART reports for one character. */
export interface ByteError {
  /** Index of the character in `RxChunk.bytes`. */
  index: number;
  kind: 'framing' | 'parity' | 'break';
}

/** Bytes that arrived at an endpoint, with when they arrived. */
export interface RxChunk {
  bytes: Uint8Array;
  /** Time the first character's start bit began at this end (clock ms). */
  start: number;
  /** Time the last character's stop bit ended: when the bytes were complete (clock ms). */
  end: number;
  /** Characters the receiving UART flagged. Absent when all were received clean. */
  errors?: readonly ByteError[];
  /** Two senders overlapped on the line: the bytes are what the receiver made of both. */
  collision?: boolean;
  /** The endpoint's own transmission, echoed back by its adapter or probe. */
  echo?: boolean;
  /**
   * The sender's settings, present when they differ from this end's: the bytes are what this
   * UART made of them. A real UART cannot know this; the simulation can, and the trace shows it.
   */
  mismatch?: LineSettings;
}

/**
 * One end of a serial line: a UART with its own settings. Every line kind (virtual wire, RS-485
 * bus drop, pty, real serial port) implements it and passes the conformance suite in
 * `endpoint-conformance.ts`.
 */
export interface Endpoint {
  /** Stable id of this end, used in traces (e.g. `optical/terminal`). */
  readonly id: string;
  /** Id of the line this end is on (e.g. `optical`, `rs485-1`). */
  readonly line: string;
  /** Current settings of this end's UART. */
  readonly settings: LineSettings;
  readonly closed: boolean;
  /**
   * Sends bytes. Resolves when the last stop bit has left this end (as `tcdrain` does), so a
   * following `update()` cannot corrupt them. Writes queue behind each other in call order.
   * Rejects when the endpoint is closed.
   */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Changes this end's UART settings once the queued output has been sent. Bytes arriving
   * afterwards are read with the new settings (IEC 62056-21 switches from 300 to 9600 baud this way).
   */
  update(settings: Partial<LineSettings>): Promise<void>;
  /**
   * Subscribes to received bytes. Chunks are delivered in arrival order, at clock time `chunk.end`.
   * Returns the function that unsubscribes.
   */
  onData(listener: (chunk: RxChunk) => void): () => void;
  /**
   * The time at which bytes already on their way to this end will have arrived, if the line knows
   * (virtual lines do; OS ports return 0). Lets a quiet-line detector wait for a long chunk.
   */
  incomingUntil(): number;
  /** Stops sending and receiving; pending writes reject. Idempotent. */
  close(): Promise<void>;
}
