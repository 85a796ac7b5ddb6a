/**
 * Identification message (IEC 62056-21 6.3.2), meter → master:
 *
 *   `/` X X X Z [`\` W]… identification CR LF
 *
 * XXX: manufacturer's FLAG id, three letters; a lower-case third letter announces a 20 ms
 * minimum reaction time. Z: baud rate identification (see baud.ts). `\W`: enhanced capability
 * escape sequences; `\2` announces mode E (binary HDLC, Annex E); VDEW meters send e.g. `\@`.
 * identification: manufacturer-specific, 16 printable characters maximum, no `/` or `!`.
 */
import { CR, LF, ascii } from '../../core/bytes.ts';
import { isLetter, isPrintable } from './ascii.ts';
import { baudForZ, isFastReaction, protocolModeOfZ, type ProtocolMode } from './baud.ts';
import { Iec62056Error, invalidField, unexpectedByte } from './errors.ts';

export interface IdentificationMessage {
  /** FLAG id, three letters, e.g. `ELS`, `ISk`. */
  manufacturer: string;
  /** Baud rate identification character Z. */
  baudChar: string;
  /** The W characters of the `\W` escape sequences, in order (`['2']` for mode E). */
  enhanced: string[];
  /** Identification proper, e.g. `ZMD4102AR.B31`. */
  ident: string;
}

/** Standard maximum of the identification proper. */
export const MAX_IDENT_LENGTH = 16;

/** Escape character of the enhanced capability sequences. */
export const ESCAPE = '\\';

/** W character that announces mode E (HDLC). */
export const MODE_E_CHAR = '2';

/** What a decoded identification tells: mode, baud rate offered, reaction time class. */
export interface IdentificationInfo {
  mode: ProtocolMode;
  /** Baud rate the meter offers for the data exchange, or undefined (mode A, reserved Z). */
  baud: number | undefined;
  fastReaction: boolean;
}

/** Mode, offered baud rate and reaction class of an identification. */
export function identificationInfo(msg: IdentificationMessage): IdentificationInfo {
  const zMode = protocolModeOfZ(msg.baudChar) ?? 'A';
  const mode: ProtocolMode = zMode === 'C' && msg.enhanced.includes(MODE_E_CHAR) ? 'E' : zMode;
  return { mode, baud: baudForZ(msg.baudChar, mode), fastReaction: isFastReaction(msg.manufacturer) };
}

function checkZ(z: string, offset: number): void {
  if (z.length !== 1 || protocolModeOfZ(z) === undefined || z === ESCAPE) {
    throw invalidField(offset, `baud rate character ${JSON.stringify(z)} is not a printable character other than '/', '!' and '\\'`);
  }
}

function checkIdentChar(c: number): boolean {
  return isPrintable(c) && c !== 0x2f && c !== 0x21;
}

/** `/XXXZ\W…ident\r\n`; throws an Iec62056Error for a field the standard does not allow. */
export function encodeIdentification(msg: IdentificationMessage, maxIdentLength = MAX_IDENT_LENGTH): Uint8Array {
  const m = msg.manufacturer;
  if (m.length !== 3 || ![0, 1, 2].every((i) => isLetter(m.charCodeAt(i)))) {
    throw invalidField(1, `manufacturer id ${JSON.stringify(m)} is not three letters`);
  }
  checkZ(msg.baudChar, 4);
  let offset = 5;
  for (const w of msg.enhanced) {
    if (w.length !== 1 || !checkIdentChar(w.charCodeAt(0))) throw invalidField(offset + 1, `enhanced capability character ${JSON.stringify(w)} is not printable (or is '/' or '!')`);
    offset += 2;
  }
  if (msg.ident.length > maxIdentLength) throw invalidField(offset, `identification is ${msg.ident.length} characters; at most ${maxIdentLength}`);
  for (let i = 0; i < msg.ident.length; i++) {
    if (!checkIdentChar(msg.ident.charCodeAt(i))) throw invalidField(offset + i, `identification character ${JSON.stringify(msg.ident[i])} is not allowed (printable, not '/' or '!')`);
  }
  if (msg.ident.startsWith(ESCAPE)) throw invalidField(offset, 'identification must not start with \'\\\' (it would read as an escape sequence)');
  return ascii(`/${m}${msg.baudChar}${msg.enhanced.map((w) => ESCAPE + w).join('')}${msg.ident}\r\n`);
}

/**
 * Decodes one complete identification line. Offsets in errors are `base` + index. An
 * identification longer than `maxIdentLength` is refused (raise it for meters that break the rule).
 */
export function decodeIdentification(bytes: Uint8Array, base = 0, maxIdentLength = MAX_IDENT_LENGTH): IdentificationMessage {
  const n = bytes.length;
  const state = 'identification';
  if (bytes[0] !== 0x2f) throw unexpectedByte(base, bytes[0] ?? 0, state, "'/'");
  if (n < 7 || bytes[n - 2] !== CR || bytes[n - 1] !== LF) {
    throw new Iec62056Error('missing-crlf', base + n, `identification message at offset ${base} is shorter than /XXXZ CR LF or does not end with CR LF`, { frameStart: base });
  }
  for (let i = 1; i <= 3; i++) if (!isLetter(bytes[i]!)) throw unexpectedByte(base + i, bytes[i]!, state, 'a letter of the manufacturer id');
  const manufacturer = String.fromCharCode(bytes[1]!, bytes[2]!, bytes[3]!);
  const baudChar = String.fromCharCode(bytes[4]!);
  if (bytes[4] === CR || protocolModeOfZ(baudChar) === undefined || baudChar === ESCAPE) {
    throw unexpectedByte(base + 4, bytes[4]!, state, 'the baud rate character Z');
  }
  const end = n - 2;
  let i = 5;
  const enhanced: string[] = [];
  while (i < end && bytes[i] === 0x5c) {
    if (i + 1 >= end || !checkIdentChar(bytes[i + 1]!)) throw unexpectedByte(base + i + 1, bytes[i + 1]!, state, 'an enhanced capability character after \'\\\'');
    enhanced.push(String.fromCharCode(bytes[i + 1]!));
    i += 2;
  }
  let ident = '';
  for (let j = i; j < end; j++) {
    if (!checkIdentChar(bytes[j]!)) throw unexpectedByte(base + j, bytes[j]!, state, 'an identification character (printable, not \'/\' or \'!\') or CR LF');
    ident += String.fromCharCode(bytes[j]!);
  }
  if (ident.length > maxIdentLength) {
    throw new Iec62056Error('line-too-long', base + i + maxIdentLength, `identification at offset ${base + i} is ${ident.length} characters; at most ${maxIdentLength}`, { length: ident.length, frameStart: base });
  }
  return { manufacturer, baudChar, enhanced, ident };
}
