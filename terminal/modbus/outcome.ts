/**
 * What one Modbus request brought back, as the terminal's master tells outcomes apart. Every
 * outcome but `ok` carries the bytes heard as evidence and a sentence for the record.
 */
import type { NormalResponse } from '../../protocols/modbus-rtu/index.ts';
import type { ModbusMissingReason } from '../../protocols/uplink/records.ts';

export type ExchangeOutcome =
  /** A valid answer to the request (for a read: its values). */
  | { kind: 'ok'; response: NormalResponse; frame: Uint8Array }
  /** The device answered an exception (`code`, e.g. 2 illegal data address). */
  | { kind: 'exception'; code: number; text: string; frame: Uint8Array }
  /** Nothing came back within the response time-out. */
  | { kind: 'no-answer'; text: string }
  /** One whole-length answer whose CRC is wrong. */
  | { kind: 'crc-error'; text: string; bytes: Uint8Array }
  /** An answer broken by a silence inside it (t1.5 or t3.5), or one that stopped short. */
  | { kind: 'partial'; text: string; bytes: Uint8Array; fragments: Uint8Array[] }
  /** Bytes the UART flagged (framing/parity errors) or a collision on the line. */
  | { kind: 'collision'; text: string; bytes: Uint8Array }
  /** Frames that do not answer the request (another slave, function or length). */
  | { kind: 'mismatch'; text: string; bytes: Uint8Array };

export type OutcomeKind = ExchangeOutcome['kind'];

/** One try of a request on the line, with its times (clock ms). */
export interface Attempt {
  outcome: ExchangeOutcome;
  /** The request's first start bit and last stop bit. */
  requestStart: number;
  requestEnd: number;
  /** The answer's (or first fragment's) first byte and the last byte heard. */
  answerStart?: number;
  answerEnd?: number;
  /** When the master stopped waiting. */
  end: number;
}

/** A frame heard between exchanges (nobody asked for it): a second answer, a late one. */
export interface StrayFrame {
  bytes: Uint8Array;
  start: number;
  end: number;
  collision: boolean;
  /** The slave address and function when the frame is a valid response frame. */
  from?: { slave: number; fn: number };
}

/** A request and its tries; `outcome` is the last try's. */
export interface Exchange {
  slave: number;
  outcome: ExchangeOutcome;
  attempts: Attempt[];
  /** Start of the first request, end of the last wait. */
  start: number;
  end: number;
  /**
   * Frames that were not the answer: heard since the previous exchange ended, and frames from
   * other slaves heard while waiting (a second device answering on an earlier address).
   */
  strays: StrayFrame[];
}

/** The record's reason for an outcome (`ok` has none). */
export function missingReasonOf(o: ExchangeOutcome): ModbusMissingReason | undefined {
  switch (o.kind) {
    case 'ok': return undefined;
    case 'exception': return 'exception';
    case 'no-answer': return 'no-answer';
    case 'crc-error': return 'crc-error';
    case 'partial': return 'timeout-partial';
    case 'collision': return 'collision';
    case 'mismatch': return 'other';
  }
}

/** True when the device said something valid (an answer or an exception). */
export function answered(o: ExchangeOutcome): boolean {
  return o.kind === 'ok' || o.kind === 'exception';
}
