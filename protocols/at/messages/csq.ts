/**
 * Signal quality, 3GPP TS 27.007 §8.5: `+CSQ: <rssi>,<ber>`.
 *
 * ```
 *   rssi  0 → −113 dBm or less, 1 → −111 dBm, 2..30 → −109..−53 dBm (2 dB steps),
 *         31 → −51 dBm or greater, 99 → not known
 *   ber   0..7 → RXQUAL (GSM 05.08), 99 → not known
 * ```
 */
import { Fields, line, n, type ResponseCodec } from './codec.ts';
import { AtError } from '../errors.ts';

/** One `+CSQ` answer. */
export interface SignalQuality {
  /** 0..31, or 99 when not known. */
  rssi: number;
  /** 0..7, or 99 when not known. */
  ber: number;
}

/** `rssi` or `ber` value for "not known or not detectable". */
export const CSQ_UNKNOWN = 99;

function checkRange(value: number, max: number, name: string, offset?: number): void {
  if (value !== CSQ_UNKNOWN && (value < 0 || value > max)) {
    throw new AtError('value', `+CSQ: <${name}> ${value} out of range`, { ...(offset === undefined ? {} : { offset }), expected: `0..${max} or 99` });
  }
}

/** `+CSQ: 17,0` ⇄ `{ rssi: 17, ber: 0 }`. */
export const CSQ: ResponseCodec<SignalQuality> = {
  prefix: '+CSQ',
  parse(text) {
    const f = Fields.ofLine(text, '+CSQ').count(2);
    const rssi = f.int(0, 'rssi');
    const ber = f.int(1, 'ber');
    checkRange(rssi, 31, 'rssi', f.offsetOf(0));
    checkRange(ber, 7, 'ber', f.offsetOf(1));
    return { rssi, ber };
  },
  format(v) {
    checkRange(v.rssi, 31, 'rssi');
    checkRange(v.ber, 7, 'ber');
    return line('+CSQ', [n(v.rssi), n(v.ber)]);
  },
};

/**
 * The received power an `rssi` stands for: −113 + 2·rssi dBm (0 and 31 are the open ends of
 * the scale, −113 "or less" and −51 "or greater"); undefined for 99.
 */
export function rssiToDbm(rssi: number): number | undefined {
  if (rssi === CSQ_UNKNOWN || rssi < 0 || rssi > 31 || !Number.isInteger(rssi)) return undefined;
  return -113 + 2 * rssi;
}

/** The `rssi` a DCE reports for a received power in dBm (rounded down to the 2 dB step, clamped to 0..31). */
export function dbmToRssi(dbm: number): number {
  if (!Number.isFinite(dbm)) throw new AtError('value', `signal level ${dbm} dBm is not a number`);
  return Math.max(0, Math.min(31, Math.floor((dbm + 113) / 2)));
}
