/**
 * CRC-16/MODBUS: reflected polynomial 0xA001 (0x8005 normal), initial value 0xFFFF, no final XOR.
 * On the wire the low byte comes first. Check value over ASCII "123456789" is 0x4B37.
 */

const TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[i] = c;
  }
  return t;
})();

/** CRC over `bytes[start..end)`, as a 16-bit number (0x4B37 for "123456789"). */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return crc;
}

/** `bytes` followed by their CRC, low byte first. */
export function appendCrc(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 2);
  out.set(bytes, 0);
  const crc = crc16(bytes);
  out[bytes.length] = crc & 0xff;
  out[bytes.length + 1] = crc >>> 8;
  return out;
}

/** The CRC carried in the last two bytes of `frame[start..end)` (low byte first). */
export function frameCrc(frame: Uint8Array, start = 0, end = frame.length): number {
  return frame[end - 2]! | (frame[end - 1]! << 8);
}

/** True when `frame[start..end)` is at least 3 bytes and ends with the CRC of what precedes it. */
export function crcOk(frame: Uint8Array, start = 0, end = frame.length): boolean {
  if (end - start < 3) return false;
  return crc16(frame, start, end - 2) === frameCrc(frame, start, end);
}
