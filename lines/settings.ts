import { InputError } from '../core/errors.ts';

/** Framing of an asynchronous serial line, as each end of it is set. */
export interface LineSettings {
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export const BAUD_RATES = [300, 600, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

/** Start + data + parity + stop bits of one character. */
export function bitsPerChar(s: LineSettings): number {
  return 1 + s.dataBits + (s.parity === 'none' ? 0 : 1) + s.stopBits;
}

/** How long one character occupies the line, in ms: 300 7E1 → 33.33 ms, 9600 8N1 → 1.0417 ms. */
export function charTimeMs(s: LineSettings): number {
  return (bitsPerChar(s) * 1000) / s.baudRate;
}

/** `9600 8N1`, `300 7E1`. */
export function formatSettings(s: LineSettings): string {
  return `${s.baudRate} ${s.dataBits}${s.parity[0]!.toUpperCase()}${s.stopBits}`;
}

/** Parses `9600 8N1`, `300/7E1`, `300,7,E,1`; throws an InputError naming `where`. */
export function parseSettings(text: string, where = 'line settings'): LineSettings {
  const m = /^\s*(\d+)\s*[ ,/:-]?\s*([78])\s*,?\s*([NEOneo])\s*,?\s*([12])\s*$/.exec(text);
  if (!m) throw new InputError(where, `'${text}' is not line settings; expected e.g. '9600 8N1' or '300 7E1'`);
  const parity = ({ n: 'none', e: 'even', o: 'odd' } as const)[m[3]!.toLowerCase() as 'n' | 'e' | 'o'];
  return validateSettings({ baudRate: Number(m[1]), dataBits: Number(m[2]) as 7 | 8, parity, stopBits: Number(m[4]) as 1 | 2 }, where);
}

/** Checks ranges; returns the same settings. */
export function validateSettings(s: LineSettings, where = 'line settings'): LineSettings {
  if (!Number.isInteger(s.baudRate) || s.baudRate < 300 || s.baudRate > 115200) {
    throw new InputError(where, `baud rate ${s.baudRate} is outside 300…115200`);
  }
  if (s.dataBits !== 7 && s.dataBits !== 8) throw new InputError(where, `data bits ${String(s.dataBits)} must be 7 or 8`);
  if (!['none', 'even', 'odd'].includes(s.parity)) throw new InputError(where, `parity '${String(s.parity)}' must be none, even or odd`);
  if (s.stopBits !== 1 && s.stopBits !== 2) throw new InputError(where, `stop bits ${String(s.stopBits)} must be 1 or 2`);
  if (s.dataBits === 7 && s.parity === 'none' && s.stopBits === 1) {
    // 7N1 exists on some UARTs but not on USB adapters; allowed, the bit model handles it.
  }
  return s;
}

export function sameFraming(a: LineSettings, b: LineSettings): boolean {
  return a.baudRate === b.baudRate && a.dataBits === b.dataBits && a.parity === b.parity && a.stopBits === b.stopBits;
}

/** 300 7E1: the IEC 62056-21 opening settings. */
export const IEC_OPENING: LineSettings = Object.freeze({ baudRate: 300, dataBits: 7, parity: 'even', stopBits: 1 });
/** 9600 8N1: the common Modbus RTU setting. */
export const MODBUS_DEFAULT: LineSettings = Object.freeze({ baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 });
