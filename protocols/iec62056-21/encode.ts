/** One entry point that turns any message value into its bytes on the line. */
import { ACK, NAK } from '../../core/bytes.ts';
import { encodeBreak, encodeCommand } from './command.ts';
import { encodeDataMessage, encodeReadout } from './data-message.ts';
import { invalidField } from './errors.ts';
import type { Message } from './frames.ts';
import { encodeIdentification } from './identification.ts';
import { encodeOptionSelect } from './option-select.ts';
import { encodeRequest } from './request.ts';

/**
 * Bytes of `msg`; throws an Iec62056Error when a field breaks a rule of the standard. A
 * `command` B without data is the break message and decodes as `break`.
 */
export function encodeMessage(msg: Message): Uint8Array {
  switch (msg.kind) {
    case 'request':
      return encodeRequest(msg);
    case 'identification':
      return encodeIdentification(msg);
    case 'option-select':
      return encodeOptionSelect(msg);
    case 'readout':
      return encodeReadout(msg.block);
    case 'data':
      return encodeDataMessage(msg);
    case 'command':
      return encodeCommand(msg);
    case 'break':
      return encodeBreak(msg.type);
    case 'ack':
      return Uint8Array.of(ACK);
    case 'nak':
      return Uint8Array.of(NAK);
    case 'wakeup':
      if (!Number.isInteger(msg.count) || msg.count < 1) throw invalidField(0, `wake-up count ${msg.count} is not a positive integer`);
      return new Uint8Array(msg.count);
  }
}
