/**
 * The RTU application data unit: slave address, PDU, CRC (low byte first).
 *
 *   | slave (1) | function (1) | data (0..252) | CRC lo | CRC hi |   4..256 bytes
 */

import { BROADCAST, MAX_ADU, MAX_PDU, MAX_SLAVE, MIN_ADU } from './codes.ts';
import { appendCrc, crc16, frameCrc } from './crc.ts';
import { ModbusError, hex2, hex4 } from './errors.ts';
import type { Direction } from './types.ts';

/** A checked frame split into its slave address and PDU. */
export interface Adu {
  slave: number;
  pdu: Uint8Array;
}

/**
 * Builds a frame: `slave` (0 broadcast, 1..247), the PDU (1..253 bytes), CRC. Throws an
 * `address` or `too-long` ModbusError.
 */
export function encodeAdu(slave: number, pdu: Uint8Array): Uint8Array {
  if (!Number.isInteger(slave) || slave < 0 || slave > MAX_SLAVE) {
    throw new ModbusError('address', `slave address ${String(slave)} is outside 0..${MAX_SLAVE}`);
  }
  if (pdu.length === 0) throw new ModbusError('too-short', 'a PDU needs at least a function code');
  if (pdu.length > MAX_PDU) throw new ModbusError('too-long', `PDU is ${pdu.length} bytes, more than ${MAX_PDU}`);
  const body = new Uint8Array(pdu.length + 1);
  body[0] = slave;
  body.set(pdu, 1);
  return appendCrc(body);
}

/**
 * Checks a whole frame and splits it. Checks in order: length (4..256), CRC, slave address
 * (248..255 reserved; 0 is a broadcast and only valid in a request). Throws ModbusError with
 * reason `too-short`, `too-long`, `crc` (naming the CRC got and computed) or `address`.
 */
export function decodeAdu(frame: Uint8Array, direction: Direction): Adu {
  if (frame.length < MIN_ADU) {
    throw new ModbusError('too-short', `frame is ${frame.length} byte${frame.length === 1 ? '' : 's'}, the smallest RTU frame is ${MIN_ADU} (slave, function, CRC)`, { offset: frame.length });
  }
  if (frame.length > MAX_ADU) {
    throw new ModbusError('too-long', `frame is ${frame.length} bytes, more than the RTU maximum of ${MAX_ADU}`, { offset: MAX_ADU });
  }
  const at = frame.length - 2;
  const got = frameCrc(frame);
  const computed = crc16(frame, 0, at);
  if (got !== computed) {
    throw new ModbusError('crc', `CRC mismatch at offset ${at}: got ${hex4(got)}, computed ${hex4(computed)} (sent low byte first)`, { offset: at });
  }
  const slave = frame[0]!;
  if (slave > MAX_SLAVE) {
    throw new ModbusError('address', `slave address ${slave} (${hex2(slave)}) at offset 0 is reserved (248..255)`, { offset: 0 });
  }
  if (slave === BROADCAST && direction === 'response') {
    throw new ModbusError('address', 'slave address 0 (broadcast) at offset 0 in a response: no slave answers a broadcast', { offset: 0, slave });
  }
  return { slave, pdu: frame.slice(1, at) };
}
