/**
 * Network registration, 3GPP TS 27.007 §7.2 (+CREG), §10.1.20 (+CGREG), §10.1.22 (+CEREG).
 *
 * ```
 *   read response   +CREG: <n>,<stat>[,<lac>,<ci>[,<AcT>]]      (AT+CREG?)
 *   URC             +CREG: <stat>[,<lac>,<ci>[,<AcT>]]           (AT+CREG=1 or 2)
 * ```
 *
 * The two shapes differ in their second field: an integer `<stat>` in the read response, a
 * quoted `<lac>` (or nothing) in the URC. `isReadShape` is that rule; the line classifier uses
 * it to tell a URC from the answer to `AT+CREG?`.
 */
import type { AtArg } from '../args.ts';
import { parseArgs } from '../args.ts';
import { Fields, line, n, on, oq, trimEmpty, type ResponseCodec } from './codec.ts';

/** `<stat>` names (27.007): 0..5 for every network, 6..10 added for E-UTRAN and SMS-only registration. */
export const REG_STAT: Readonly<Record<number, string>> = {
  0: 'not registered, not searching',
  1: 'registered, home network',
  2: 'not registered, searching',
  3: 'registration denied',
  4: 'unknown',
  5: 'registered, roaming',
  6: 'registered for SMS only, home network',
  7: 'registered for SMS only, roaming',
  8: 'attached for emergency bearer services only',
  9: 'registered for CSFB not preferred, home network',
  10: 'registered for CSFB not preferred, roaming',
};

/** `<AcT>` access technology names (27.007 §7.3). */
export const ACCESS_TECHNOLOGY: Readonly<Record<number, string>> = {
  0: 'GSM',
  1: 'GSM Compact',
  2: 'UTRAN',
  3: 'GSM w/EGPRS',
  4: 'UTRAN w/HSDPA',
  5: 'UTRAN w/HSUPA',
  6: 'UTRAN w/HSDPA and HSUPA',
  7: 'E-UTRAN',
  8: 'EC-GSM-IoT',
  9: 'E-UTRAN (NB-S1 mode)',
};

/** One registration line, read response (with `n`) or URC (without). */
export interface Registration {
  /** The URC setting of `AT+CREG=<n>`; present only in the read response. */
  n?: number;
  /** 0..10, see `REG_STAT`. */
  stat: number;
  /** Location area code (+CREG/+CGREG) or tracking area code (+CEREG), upper-case hex. */
  lac?: string;
  /** Cell id, upper-case hex (4 digits on GSM, up to 8 on UTRAN/E-UTRAN). */
  ci?: string;
  /** Access technology 0..15, see `ACCESS_TECHNOLOGY`. */
  act?: number;
  /** Any further fields (+CGREG `<rac>`, +CEREG cause and PSM timers), kept as they came. */
  extra?: AtArg[];
}

/** True for the read-response shape: at least two fields, both integers (`<n>,<stat>`). */
export function isReadShape(args: readonly AtArg[]): boolean {
  return args.length >= 2 && args[0]!.kind === 'number' && args[1]!.kind === 'number';
}

/** The registration-line shape of a line's text after the prefix, or undefined when it does not parse. */
export function registrationShape(lineText: string, prefix: string): 'read' | 'urc' | undefined {
  if (!lineText.startsWith(`${prefix}:`)) return undefined;
  try {
    return isReadShape(parseArgs(lineText.slice(prefix.length + 1), 'response')) ? 'read' : 'urc';
  } catch {
    return undefined;
  }
}

/** Registered for data: home (1) or roaming (5). */
export function isRegistered(stat: number): boolean {
  return stat === 1 || stat === 5;
}

function codec(prefix: '+CREG' | '+CGREG' | '+CEREG'): ResponseCodec<Registration> {
  const lacDigits = prefix === '+CEREG' ? 6 : 4;
  return {
    prefix,
    parse(text: string): Registration {
      const f = Fields.ofLine(text, prefix);
      const read = isReadShape(f.args);
      f.count(read ? 2 : 1, Infinity);
      const base = read ? 2 : 1;
      const out: Registration = read ? { n: f.int(0, 'n', 0, 5), stat: f.int(1, 'stat', 0, 10) } : { stat: f.int(0, 'stat', 0, 10) };
      if (!f.absent(base)) out.lac = f.hex(base, prefix === '+CEREG' ? 'tac' : 'lac', lacDigits);
      if (!f.absent(base + 1)) out.ci = f.hex(base + 1, 'ci', 8);
      const act = f.optInt(base + 2, 'AcT', 0, 15);
      if (act !== undefined) out.act = act;
      if (f.length > base + 3) out.extra = f.rest(base + 3);
      return out;
    },
    format(r: Registration): string {
      const args: AtArg[] = [];
      if (r.n !== undefined) args.push(n(r.n));
      args.push(n(r.stat), oq(r.lac), oq(r.ci), on(r.act), ...(r.extra ?? []));
      return line(prefix, trimEmpty(args));
    },
  };
}

/** `+CREG:` circuit-switched registration. */
export const CREG = codec('+CREG');
/** `+CGREG:` GPRS registration. */
export const CGREG = codec('+CGREG');
/** `+CEREG:` EPS (LTE) registration. */
export const CEREG = codec('+CEREG');
