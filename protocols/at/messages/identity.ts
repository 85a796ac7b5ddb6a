/**
 * Identities read from the module and the SIM:
 *
 * ```
 *   AT+CGSN / AT+GSN   861234567890123        IMEI, 15 digits (27.007 §5.4; `+CGSN: "<imei>"` also read)
 *   AT+CIMI            286011234567890        IMSI, 6..15 digits (27.007 §5.6)
 *   AT+CCID (SIMCom)   89860012345678901234   ICCID, 18..20 digits, sometimes a trailing F
 *   AT+QCCID (Quectel) +QCCID: 89860012345678901234
 * ```
 */
import { AtError } from '../errors.ts';
import type { ResponseCodec } from './codec.ts';

/** Luhn check over a digit string (IMEI, ICCID). */
export function luhnOk(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A digits-only line, optionally behind `prefix: ` and optionally quoted. */
function digitsCodec(prefix: string, what: string, pattern: RegExp, expected: string, optionalPrefix: boolean): ResponseCodec<string> {
  return {
    prefix,
    parse(text) {
      let body = text;
      let at = 0;
      if (prefix !== '' && text.startsWith(`${prefix}:`)) {
        at = prefix.length + 1;
        while (text[at] === ' ') at++;
        body = text.slice(at);
      } else if (prefix !== '' && !optionalPrefix) {
        throw new AtError('shape', `not a ${prefix} line`, { offset: 0, expected: `'${prefix}:'` });
      }
      const value = body.trim().replace(/^"(.*)"$/, '$1');
      if (!pattern.test(value)) throw new AtError('value', `${what} ${JSON.stringify(value.slice(0, 32))}`, { offset: at, expected });
      return value;
    },
    format(value) {
      if (!pattern.test(value)) throw new AtError('encode', `${what} ${JSON.stringify(value)} is not ${expected}`);
      return prefix !== '' && !optionalPrefix ? `${prefix}: ${value}` : value;
    },
  };
}

const ICCID_PATTERN = /^\d{18,20}[Ff]?$/;

/** The bare IMEI line of `AT+CGSN` / `AT+GSN` (a `+CGSN: "…"` line is read too). */
export const IMEI = digitsCodec('+CGSN', 'IMEI', /^\d{15}$/, '15 digits', true);
/** The bare IMSI line of `AT+CIMI`. */
export const IMSI = digitsCodec('+CIMI', 'IMSI', /^\d{6,15}$/, '6 to 15 digits', true);
/** The ICCID line of SIMCom `AT+CCID` (bare, or `+CCID: …` on some firmware). */
export const CCID = digitsCodec('+CCID', 'ICCID', ICCID_PATTERN, '18 to 20 digits and an optional F', true);
/** `+QCCID: …` of Quectel `AT+QCCID`. */
export const QCCID = digitsCodec('+QCCID', 'ICCID', ICCID_PATTERN, '18 to 20 digits and an optional F', false);
