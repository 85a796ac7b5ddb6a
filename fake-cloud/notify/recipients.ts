/**
 * Who is told about a modem's alarms. The cloud keeps, per modem, the people to notify: an
 * e-mail address and/or a phone number (E.164, `+905321234567`) and the alarm kinds each one
 * receives (rule names such as `mains-outage`, or `*` for every kind). The cloud's account
 * settings implement `RecipientSource`; `MemoryRecipients` is a plain in-memory one.
 */
import { InputError } from '../../core/errors.ts';

export interface Recipient {
  email?: string;
  phone?: string;
  /** Alarm kinds (rule names) this person receives; `*` for all. */
  kinds: string[];
}

export interface RecipientSource {
  /** The people to notify about the modem's alarms (none: an empty list). Must not throw for an unknown modem. */
  recipients(modemNo: string): Recipient[];
}

/** E.164: a plus sign, a country code and up to 15 digits in all, no leading zero. */
export const E164 = /^\+[1-9]\d{6,14}$/;
/** A plain address check: something@domain.tld, no spaces. */
export const EMAIL = /^[^\s@<>]{1,64}@[^\s@<>]{1,253}\.[A-Za-z]{2,63}$/;

/** True when the recipient receives alarms of `kind`. */
export function wants(r: Recipient, kind: string): boolean {
  return r.kinds.includes('*') || r.kinds.includes(kind);
}

/** Recipients held in memory, set per modem; addresses are checked when set. */
export class MemoryRecipients implements RecipientSource {
  private readonly byModem = new Map<string, Recipient[]>();

  /** Replaces the modem's recipients; throws `InputError` naming the bad entry. */
  set(modemNo: string, list: Recipient[]): void {
    list.forEach((r, i) => {
      const where = `recipients of ${modemNo}[${i}]`;
      if (r.email === undefined && r.phone === undefined) throw new InputError(where, 'expected an email or a phone');
      if (r.email !== undefined && !EMAIL.test(r.email)) throw new InputError(`${where}.email`, `expected an e-mail address, got '${r.email}'`);
      if (r.phone !== undefined && !E164.test(r.phone)) throw new InputError(`${where}.phone`, `expected an E.164 number (+905321234567), got '${r.phone}'`);
    });
    this.byModem.set(modemNo, list.map((r) => ({ ...r, kinds: [...r.kinds] })));
  }

  recipients(modemNo: string): Recipient[] {
    return this.byModem.get(modemNo) ?? [];
  }
}
