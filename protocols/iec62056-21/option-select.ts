/**
 * Acknowledgement/option select message (IEC 62056-21 6.3.3), master → meter, modes C and E:
 *
 *   ACK V Z Y CR LF
 *
 * V protocol control: 0 normal protocol procedure, 1 secondary protocol procedure,
 * 2 HDLC protocol procedure (mode E, Annex E), 3…9 reserved.
 * Z baud rate identification (mode C/E table). The meter switches only when Z equals the Z of
 * its identification; otherwise, or without an option select, the exchange goes on at 300 baud.
 * Y mode control: 0 data readout, 1 programming mode, 2 binary mode (HDLC), 3…5 reserved,
 * 6…9 manufacturer-specific, A…Z reserved.
 */
import { ACK, CR, LF, ascii } from '../../core/bytes.ts';
import { isDigit } from './ascii.ts';
import { Iec62056Error, invalidField, unexpectedByte } from './errors.ts';

export interface OptionSelectMessage {
  /** V: protocol control character, `0`…`9`. */
  protocolControl: string;
  /** Z: baud rate identification, `0`…`9`. */
  baudChar: string;
  /** Y: mode control character, `0`…`9` or `A`…`Z`. */
  modeControl: string;
}

/** Named V values. */
export const PROTOCOL_CONTROL = Object.freeze({ normal: '0', secondary: '1', hdlc: '2' } as const);
/** Named Y values. */
export const MODE_CONTROL = Object.freeze({ readout: '0', programming: '1', binaryHdlc: '2' } as const);

/** Length of the message on the line. */
export const OPTION_SELECT_LENGTH = 6;

function isModeChar(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a);
}

/** `ACK V Z Y CR LF`; throws an Iec62056Error for a character outside its set. */
export function encodeOptionSelect(msg: OptionSelectMessage): Uint8Array {
  const { protocolControl: v, baudChar: z, modeControl: y } = msg;
  if (v.length !== 1 || !isDigit(v.charCodeAt(0))) throw invalidField(1, `protocol control character ${JSON.stringify(v)} is not 0…9`);
  if (z.length !== 1 || !isDigit(z.charCodeAt(0))) throw invalidField(2, `baud rate character ${JSON.stringify(z)} is not 0…9`);
  if (y.length !== 1 || !isModeChar(y.charCodeAt(0))) throw invalidField(3, `mode control character ${JSON.stringify(y)} is not 0…9 or A…Z`);
  const out = ascii(`_${v}${z}${y}\r\n`);
  out[0] = ACK;
  return out;
}

/** Decodes exactly one option select message; offsets in errors are `base` + index. */
export function decodeOptionSelect(bytes: Uint8Array, base = 0): OptionSelectMessage {
  const state = 'option-select';
  if (bytes[0] !== ACK) throw unexpectedByte(base, bytes[0] ?? 0, state, 'ACK');
  const checks: [number, (c: number) => boolean, string][] = [
    [1, isDigit, 'protocol control character 0…9'],
    [2, isDigit, 'baud rate character 0…9'],
    [3, isModeChar, 'mode control character 0…9 or A…Z'],
  ];
  for (const [i, ok, what] of checks) {
    if (i >= bytes.length) throw new Iec62056Error('truncated', base + i, `option select message at offset ${base} ends before its ${what}`, { frameStart: base, state });
    if (!ok(bytes[i]!)) throw unexpectedByte(base + i, bytes[i]!, state, what);
  }
  if (bytes[4] !== CR || bytes[5] !== LF) {
    const at = bytes[4] !== CR ? 4 : 5;
    if (at >= bytes.length) throw new Iec62056Error('truncated', base + at, `option select message at offset ${base} ends before CR LF`, { frameStart: base, state });
    throw new Iec62056Error('missing-crlf', base + at, `option select message at offset ${base} is not ended by CR LF: ${bytes[at] === undefined ? 'nothing' : `byte 0x${bytes[at].toString(16).padStart(2, '0')}`} at offset ${base + at}`, { frameStart: base, state, byte: bytes[at] });
  }
  if (bytes.length !== OPTION_SELECT_LENGTH) throw unexpectedByte(base + 6, bytes[6]!, state, 'the end of the message after CR LF');
  return {
    protocolControl: String.fromCharCode(bytes[1]!),
    baudChar: String.fromCharCode(bytes[2]!),
    modeControl: String.fromCharCode(bytes[3]!),
  };
}
