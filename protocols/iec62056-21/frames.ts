/**
 * The messages of IEC 62056-21 as values (`Message`, no position) and as decoded frames
 * (`Frame`, with their place in the byte stream). Types only.
 */
import type { CommandMessage } from './command.ts';
import type { DataMessage, ReadoutMessage } from './data-message.ts';
import type { Iec62056Error } from './errors.ts';
import type { IdentificationMessage } from './identification.ts';
import type { OptionSelectMessage } from './option-select.ts';
import type { RequestMessage } from './request.ts';

export type Message =
  | ({ kind: 'request' } & RequestMessage)
  | ({ kind: 'identification' } & IdentificationMessage)
  | ({ kind: 'option-select' } & OptionSelectMessage)
  | ({ kind: 'readout' } & ReadoutMessage)
  | ({ kind: 'data' } & DataMessage)
  | ({ kind: 'command' } & CommandMessage)
  | { kind: 'break'; type: string }
  | { kind: 'ack' }
  | { kind: 'nak' }
  /** A run of NUL characters: the wake-up of battery-operated meters. */
  | { kind: 'wakeup'; count: number };

export type MessageKind = Message['kind'];

/** Where a frame lies in the decoded stream: `start` inclusive, `end` exclusive. */
export interface FramePosition {
  start: number;
  end: number;
  /** The bytes as received (before any parity stripping). */
  raw: Uint8Array;
}

export type Frame = Message & FramePosition;

/** What the streaming decoder emits. */
export type DecoderEvent = { type: 'frame'; frame: Frame } | { type: 'error'; error: Iec62056Error };
