/**
 * RTU character timing (Modbus over serial line V1.02, 2.5.1.1): frames are separated by at
 * least 3.5 character times of silence (t3.5); a silence of more than 1.5 character times
 * inside a frame (t1.5) breaks it. Above 19200 baud the spec fixes t1.5 = 750 µs and
 * t3.5 = 1750 µs. An RTU character is 11 bits: start, 8 data, parity (or a second stop), stop.
 */

/** Bits of one RTU character: 1 start + 8 data + 1 parity + 1 stop (or 2 stops without parity). */
export const RTU_BITS_PER_CHAR = 11;

/** Above this baud rate the fixed timer values apply. */
export const RTU_FIXED_TIMING_ABOVE_BAUD = 19200;

/** Fixed inter-character time-out above 19200 baud, in ms. */
export const RTU_FIXED_T15_MS = 0.75;

/** Fixed inter-frame delay above 19200 baud, in ms. */
export const RTU_FIXED_T35_MS = 1.75;

/** The two RTU silence limits of a line. */
export interface RtuTiming {
  /** Longest silence allowed inside a frame, in ms. */
  t15Ms: number;
  /** Silence that ends a frame (and must precede the next), in ms. */
  t35Ms: number;
}

/** One character's time in ms at `baudRate` (11 bits unless said otherwise): 9600 baud → 1.1458 ms. */
export function rtuCharTimeMs(baudRate: number, bitsPerChar = RTU_BITS_PER_CHAR): number {
  return (bitsPerChar * 1000) / baudRate;
}

/**
 * t1.5 and t3.5 for a line: 1.5 and 3.5 times `charTimeMs` up to 19200 baud, 0.75 ms and 1.75 ms
 * above. `charTimeMs` defaults to an 11-bit character at `baudRate`; pass the line's own character
 * time (start + data + parity + stop bits) when it differs.
 */
export function rtuTiming(baudRate: number, charTimeMs = rtuCharTimeMs(baudRate)): RtuTiming {
  if (baudRate > RTU_FIXED_TIMING_ABOVE_BAUD) return { t15Ms: RTU_FIXED_T15_MS, t35Ms: RTU_FIXED_T35_MS };
  return { t15Ms: 1.5 * charTimeMs, t35Ms: 3.5 * charTimeMs };
}
