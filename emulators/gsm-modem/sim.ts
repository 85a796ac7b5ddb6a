/**
 * The SIM card in the terminal: identity (ICCID, IMSI), the PIN lock and its retry counters,
 * and the data allowance of the line.
 *
 * ```
 *            power-on / insert
 *   absent ───────────────────► lock enabled? ──no──► ready
 *                                   │ yes
 *                                   ▼   right PIN
 *                                 SIM PIN ──────────► ready
 *                                   │ 3 wrong PINs
 *                                   ▼   PUK + new PIN
 *                                 SIM PUK ──────────► ready
 *                                   │ 10 wrong PUKs
 *                                   ▼
 *                                 blocked (SIM failure)
 * ```
 * A PIN entered stays valid until the SIM is powered again (module restart, SIM re-inserted).
 */
import { InputError } from '../../core/errors.ts';
import { luhnOk } from '../../protocols/at/index.ts';

/** What the module sees of the SIM. */
export type SimState = 'absent' | 'pin' | 'puk' | 'ready' | 'blocked';

/** How a SIM starts. */
export interface SimOptions {
  /** `ready` (PIN lock disabled, the default), `pin` (lock enabled), `puk` (PIN blocked), `absent`. */
  state?: 'ready' | 'pin' | 'puk' | 'absent';
  /** The PIN (default 1234) and PUK (default 12345678). */
  pin?: string;
  puk?: string;
  /** ICCID, 19 or 20 digits (default a Turkish-issuer number with a valid check digit). */
  iccid?: string;
  /** IMSI, 15 digits (default on 286 01). */
  imsi?: string;
  /** The line's data allowance in MB (IP bytes both ways); unlimited when absent. */
  dataLimitMb?: number;
}

/** Outcome of a PIN/PUK/lock operation. */
export type SimAnswer = 'ok' | 'wrong' | 'not-allowed';

/** A 19-digit ICCID (89 90 …) with its Luhn check digit. */
export function makeIccid(body18: string): string {
  for (let d = 0; d <= 9; d++) if (luhnOk(body18 + d)) return body18 + d;
  throw new InputError('ICCID', `cannot complete ${body18}`);
}

/** One SIM card. */
export class SimCard {
  readonly iccid: string;
  readonly imsi: string;
  readonly dataLimitBytes: number | undefined;
  inserted: boolean;
  lockEnabled: boolean;
  private pin: string;
  private readonly puk: string;
  pinLeft = 3;
  pukLeft = 10;
  private verified = false;

  constructor(o: SimOptions = {}) {
    const state = o.state ?? 'ready';
    this.pin = o.pin ?? '1234';
    this.puk = o.puk ?? '12345678';
    if (!/^\d{4,8}$/.test(this.pin)) throw new InputError('SIM', `PIN ${JSON.stringify(this.pin)} must be 4 to 8 digits`);
    if (!/^\d{8}$/.test(this.puk)) throw new InputError('SIM', `PUK ${JSON.stringify(this.puk)} must be 8 digits`);
    this.iccid = o.iccid ?? makeIccid('899001260501234567');
    this.imsi = o.imsi ?? '286012345678901';
    if (!/^\d{19,20}$/.test(this.iccid)) throw new InputError('SIM', `ICCID ${this.iccid} must be 19 or 20 digits`);
    if (!/^\d{15}$/.test(this.imsi)) throw new InputError('SIM', `IMSI ${this.imsi} must be 15 digits`);
    if (o.dataLimitMb !== undefined && !(o.dataLimitMb > 0)) throw new InputError('SIM', `dataLimitMb ${o.dataLimitMb} must be > 0`);
    this.dataLimitBytes = o.dataLimitMb === undefined ? undefined : o.dataLimitMb * 1_000_000;
    this.inserted = state !== 'absent';
    this.lockEnabled = state === 'pin' || state === 'puk';
    if (state === 'puk') this.pinLeft = 0;
  }

  /** The SIM is powered (module start, SIM inserted): a PIN entered before no longer counts. */
  powerOn(): void {
    this.verified = false;
  }

  /** The state the module sees; `extraLock` is a lock forced on by a fault. */
  state(extraLock = false): SimState {
    if (!this.inserted) return 'absent';
    if (this.pukLeft === 0) return 'blocked';
    if (this.pinLeft === 0) return 'puk';
    if ((this.lockEnabled || extraLock) && !this.verified) return 'pin';
    return 'ready';
  }

  /** `AT+CPIN="<pin>"` while the SIM asks for its PIN. */
  enterPin(code: string, extraLock = false): SimAnswer {
    if (this.state(extraLock) !== 'pin') return 'not-allowed';
    if (code !== this.pin) {
      this.pinLeft--;
      return 'wrong';
    }
    this.pinLeft = 3;
    this.verified = true;
    return 'ok';
  }

  /** `AT+CPIN="<puk>","<new pin>"` while the SIM asks for its PUK. */
  enterPuk(puk: string, newPin: string, extraLock = false): SimAnswer {
    if (this.state(extraLock) !== 'puk') return 'not-allowed';
    if (puk !== this.puk) {
      this.pukLeft--;
      return 'wrong';
    }
    if (!/^\d{4,8}$/.test(newPin)) return 'not-allowed';
    this.pin = newPin;
    this.pinLeft = 3;
    this.pukLeft = 10;
    this.verified = true;
    return 'ok';
  }

  /** `AT+CLCK="SC",<0|1>,"<pin>"`: switches the PIN lock; a wrong PIN counts as a try. */
  setLock(enable: boolean, code: string, extraLock = false): SimAnswer {
    if (this.state(extraLock) !== 'ready') return 'not-allowed';
    if (code !== this.pin) {
      this.pinLeft--;
      return 'wrong';
    }
    this.pinLeft = 3;
    this.lockEnabled = enable;
    this.verified = true;
    return 'ok';
  }
}
