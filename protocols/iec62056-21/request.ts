/**
 * Request message (IEC 62056-21 6.3.1), master → meter:
 *
 *   `/` `?` [device address] `!` CR LF
 *
 * Device address: optional, manufacturer-specific, 32 characters maximum of 0-9, A-Z, a-z and
 * space. Leading zeros are not evaluated, and addresses made only of zeros are equal.
 * The battery wake-up (NUL characters) is not part of the message.
 */
import { CR, LF, ascii } from '../../core/bytes.ts';
import { Iec62056Error, invalidField, unexpectedByte } from './errors.ts';

export interface RequestMessage {
  /** Device address, '' when absent. */
  address: string;
}

export const MAX_DEVICE_ADDRESS_LENGTH = 32;
const ADDRESS_CHAR = /^[0-9A-Za-z ]$/;

/** Longest request message on the line: `/?` + 32 + `!` CR LF. */
export const MAX_REQUEST_LENGTH = 2 + MAX_DEVICE_ADDRESS_LENGTH + 3;

/** Index of the first character not allowed in a device address, or -1. */
function badAddressChar(address: string): number {
  for (let i = 0; i < address.length; i++) if (!ADDRESS_CHAR.test(address[i]!)) return i;
  return -1;
}

/** `/?address!\r\n`; throws an Iec62056Error for an address the standard does not allow. */
export function encodeRequest(msg: RequestMessage): Uint8Array {
  const { address } = msg;
  if (address.length > MAX_DEVICE_ADDRESS_LENGTH) {
    throw invalidField(2, `device address is ${address.length} characters; at most ${MAX_DEVICE_ADDRESS_LENGTH}`);
  }
  const bad = badAddressChar(address);
  if (bad >= 0) throw invalidField(2 + bad, `device address character ${JSON.stringify(address[bad])} is not 0-9, A-Z, a-z or space`);
  return ascii(`/?${address}!\r\n`);
}

/**
 * Decodes one complete request message (`bytes` is the whole line). Offsets in errors are
 * `base` + the index in `bytes`.
 */
export function decodeRequest(bytes: Uint8Array, base = 0): RequestMessage {
  const n = bytes.length;
  if (bytes[0] !== 0x2f) throw unexpectedByte(base, bytes[0] ?? 0, 'request', "'/'");
  if (bytes[1] !== 0x3f) throw unexpectedByte(base + 1, bytes[1] ?? 0, 'request', "'?'");
  if (n < 5 || bytes[n - 2] !== CR || bytes[n - 1] !== LF) {
    throw new Iec62056Error('missing-crlf', base + n, `request message at offset ${base} does not end with CR LF`, { frameStart: base });
  }
  if (bytes[n - 3] !== 0x21) throw unexpectedByte(base + n - 3, bytes[n - 3]!, 'request', "'!' before CR LF");
  let address = '';
  for (let i = 2; i < n - 3; i++) address += String.fromCharCode(bytes[i]!);
  if (address.length > MAX_DEVICE_ADDRESS_LENGTH) {
    throw new Iec62056Error('line-too-long', base + 2 + MAX_DEVICE_ADDRESS_LENGTH, `device address at offset ${base + 2} is ${address.length} characters; at most ${MAX_DEVICE_ADDRESS_LENGTH}`, { length: address.length, frameStart: base });
  }
  const bad = badAddressChar(address);
  if (bad >= 0) throw unexpectedByte(base + 2 + bad, bytes[2 + bad]!, 'request', 'a device address character (0-9, A-Z, a-z, space) or \'!\'');
  return { address };
}

/**
 * Address matching as the standard defines it: leading zeros are ignored on both sides, and
 * addresses of zeros only are equal whatever their lengths. An empty request address matches
 * any meter (it is how a single meter on an optical head is read).
 */
export function deviceAddressMatches(requested: string, meterAddress: string): boolean {
  if (requested === '') return true;
  const strip = (a: string): string => a.replace(/^0+/, '');
  return strip(requested) === strip(meterAddress);
}
