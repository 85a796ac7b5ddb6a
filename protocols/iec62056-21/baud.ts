/**
 * Baud rate identification character Z (IEC 62056-21:2002, the "Z" item of the message
 * definitions; protocol modes in 6.4):
 *
 * | mode  | Z          | baud                                             |
 * |-------|------------|--------------------------------------------------|
 * | A     | any other printable (not / ! and not a B or C char) | no switch: stays at 300 |
 * | B     | A B C D E F | 600 1200 2400 4800 9600 19200; G H I reserved    |
 * | C, E  | 0 1 2 3 4 5 6 | 300 600 1200 2400 4800 9600 19200; 7 8 9 reserved |
 * | D     | 3          | 2400 (fixed)                                      |
 *
 * Mode E is mode C signalled by the escape sequence `\2` in the identification message; it
 * uses the mode C table. Mode D meters send `3` too, so Z alone cannot tell C from D.
 */

/** Protocol modes of IEC 62056-21. */
export type ProtocolMode = 'A' | 'B' | 'C' | 'D' | 'E';

/** Baud rates that a Z character can announce. */
export const IEC_BAUD_RATES = [300, 600, 1200, 2400, 4800, 9600, 19200] as const;

const MODE_B_CHARS = 'ABCDEF';
const MODE_B_RESERVED = 'GHI';
const MODE_C_CHARS = '0123456';
const MODE_C_RESERVED = '789';

/** Opening baud rate of modes A, B, C and E. */
export const OPENING_BAUD = 300;
/** Fixed baud rate of mode D. */
export const MODE_D_BAUD = 2400;

/**
 * Mode a Z character belongs to: `0`…`9` → `C` (also E and D), `A`…`I` → `B`, any other
 * printable except `/`, `!` → `A`. Returns undefined for a character no mode allows.
 */
export function protocolModeOfZ(z: string): 'A' | 'B' | 'C' | undefined {
  if (z.length !== 1) return undefined;
  if (MODE_C_CHARS.includes(z) || MODE_C_RESERVED.includes(z)) return 'C';
  if (MODE_B_CHARS.includes(z) || MODE_B_RESERVED.includes(z)) return 'B';
  const c = z.charCodeAt(0);
  if (c <= 0x20 || c >= 0x7f || z === '/' || z === '!') return undefined;
  return 'A';
}

/**
 * Baud rate that Z announces in the given mode, or undefined when Z announces none (mode A,
 * reserved characters, or a character of another mode).
 */
export function baudForZ(z: string, mode: ProtocolMode): number | undefined {
  switch (mode) {
    case 'A':
      return undefined;
    case 'B': {
      const i = MODE_B_CHARS.indexOf(z);
      return z.length === 1 && i >= 0 ? IEC_BAUD_RATES[i + 1] : undefined;
    }
    case 'C':
    case 'E': {
      const i = MODE_C_CHARS.indexOf(z);
      return z.length === 1 && i >= 0 ? IEC_BAUD_RATES[i] : undefined;
    }
    case 'D':
      return z === '3' ? MODE_D_BAUD : undefined;
  }
}

/** Z character announcing `baud` in the given mode; throws a RangeError when the mode has none. */
export function zForBaud(baud: number, mode: Exclude<ProtocolMode, 'A'>): string {
  if (mode === 'D') {
    if (baud !== MODE_D_BAUD) throw new RangeError(`mode D runs at ${MODE_D_BAUD} baud only, not ${baud}`);
    return '3';
  }
  const i = (IEC_BAUD_RATES as readonly number[]).indexOf(baud);
  if (mode === 'B') {
    if (i < 1) throw new RangeError(`mode B has no baud rate character for ${baud} baud (600…19200)`);
    return MODE_B_CHARS[i - 1]!;
  }
  if (i < 0) throw new RangeError(`mode ${mode} has no baud rate character for ${baud} baud (300…19200)`);
  return MODE_C_CHARS[i]!;
}

/**
 * True when the manufacturer's FLAG id announces a 20 ms minimum reaction time: the standard
 * lets a meter send the third letter in lower case for that (item 12 of 6.3.14). An upper-case third letter does not
 * preclude a 20 ms reaction time; it only does not announce it.
 */
export function isFastReaction(manufacturer: string): boolean {
  const c = manufacturer.charCodeAt(2);
  return manufacturer.length === 3 && c >= 0x61 && c <= 0x7a;
}
