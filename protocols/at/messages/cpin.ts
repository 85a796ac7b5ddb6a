/**
 * SIM state, 3GPP TS 27.007 §8.3: `+CPIN: <code>`, the answer to `AT+CPIN?` and the URC a
 * module sends when the SIM state changes. `NOT INSERTED` and `NOT READY` are the URC-only
 * texts of SIMCom and Quectel modules.
 */
import { AtError } from '../errors.ts';
import type { ResponseCodec } from './codec.ts';

/** Every `<code>` this codec accepts. */
export const CPIN_CODES = [
  'READY',
  'SIM PIN',
  'SIM PUK',
  'PH-SIM PIN',
  'PH-FSIM PIN',
  'PH-FSIM PUK',
  'SIM PIN2',
  'SIM PUK2',
  'PH-NET PIN',
  'PH-NET PUK',
  'PH-NETSUB PIN',
  'PH-NETSUB PUK',
  'PH-SP PIN',
  'PH-SP PUK',
  'PH-CORP PIN',
  'PH-CORP PUK',
  'NOT INSERTED',
  'NOT READY',
] as const;

/** One `<code>` of `CPIN_CODES`. */
export type CpinCode = (typeof CPIN_CODES)[number];

/** `+CPIN: READY` ⇄ `'READY'`. A quoted code (some firmware) is accepted. */
export const CPIN: ResponseCodec<CpinCode> = {
  prefix: '+CPIN',
  parse(text) {
    if (!text.startsWith('+CPIN:')) throw new AtError('shape', `not a +CPIN line`, { offset: 0, expected: "'+CPIN:'" });
    const raw = text.slice(6).trim().replace(/^"(.*)"$/, '$1');
    if (!(CPIN_CODES as readonly string[]).includes(raw)) {
      throw new AtError('value', `+CPIN: unknown code ${JSON.stringify(raw)}`, { offset: 7, expected: CPIN_CODES.join(', ') });
    }
    return raw as CpinCode;
  },
  format(code) {
    if (!(CPIN_CODES as readonly string[]).includes(code)) throw new AtError('encode', `+CPIN: unknown code ${JSON.stringify(code)}`);
    return `+CPIN: ${code}`;
  },
};

/** True when the SIM waits for a PIN or PUK (a field failure the terminal must report, as SIMs must have their PIN disabled). */
export function needsCode(code: CpinCode): boolean {
  return code !== 'READY' && code !== 'NOT INSERTED' && code !== 'NOT READY';
}
