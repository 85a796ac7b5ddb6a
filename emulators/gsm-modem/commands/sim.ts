/**
 * SIM commands (3GPP TS 27.007 §8.3, §7.4, §5.6): `+CPIN`, `+CLCK="SC"`, `+CIMI`, and the ICCID
 * (`+CCID` bare line on SIMCom, `+QCCID:` on Quectel). A SIM that is not ready answers
 * `+CME ERROR` 10 (not inserted), 11 (PIN required), 12 (PUK required), 13 (failure: PUK
 * blocked) or 14 (busy: still being read at start-up); a wrong code 16 (incorrect password).
 */
import { CCID, CPIN, QCCID } from '../../../protocols/at/index.ts';
import { argCount, cme, error, formOf, numArg, ok, strArg, type CommandHandler } from '../answer.ts';

const cpin: CommandHandler = (cmd, ctx) => {
  const m = ctx.modem;
  const state = m.simState();
  switch (formOf(cmd)) {
    case 'test':
      return ok();
    case 'read': {
      if (state === 'ready') return ok([CPIN.format('READY')]);
      if (state === 'pin') return ok([CPIN.format('SIM PIN')]);
      if (state === 'puk') return ok([CPIN.format('SIM PUK')]);
      return cme(m.simErrorCode()!);
    }
    case 'set': {
      const code = strArg(cmd, 0);
      const newPin = strArg(cmd, 1);
      if (code === undefined || argCount(cmd) > 2) return error();
      if (state === 'absent' || state === 'blocked' || state === 'initializing') return cme(m.simErrorCode()!);
      if (state === 'ready') return cme(3);
      const answer = state === 'pin' ? m.sim.enterPin(code, ctx.session.pinForced) : newPin === undefined ? 'not-allowed' : m.sim.enterPuk(code, newPin, ctx.session.pinForced);
      if (answer === 'wrong') return cme(16);
      if (answer === 'not-allowed') return cme(state === 'puk' ? 12 : 3);
      return {
        after: () => {
          m.urc(CPIN.format('READY'));
          m.radio.simUnlocked(ctx.session);
        },
      };
    }
    default:
      return error();
  }
};

const clck: CommandHandler = (cmd, ctx) => {
  const m = ctx.modem;
  if (formOf(cmd) === 'test') return ok(['+CLCK: ("SC")']);
  if (formOf(cmd) !== 'set') return error();
  const fac = strArg(cmd, 0);
  const mode = numArg(cmd, 1);
  if (fac === undefined || mode === undefined || mode > 2) return error();
  if (fac.toUpperCase() !== 'SC') return cme(4);
  const err = m.simErrorCode();
  if (err !== undefined) return cme(err);
  if (mode === 2) return ok([`+CLCK: ${m.sim.lockEnabled || ctx.session.pinForced ? 1 : 0}`]);
  const code = strArg(cmd, 2);
  if (code === undefined) return cme(16);
  const answer = m.sim.setLock(mode === 1, code);
  if (answer === 'wrong') return cme(16);
  if (answer === 'not-allowed') return cme(3);
  if (mode === 0) {
    ctx.session.pinForced = false;
    m.faults.clearKind('pin-enabled');
  }
  return ok();
};

const cimi: CommandHandler = (cmd, ctx) => {
  if (formOf(cmd) === 'test') return ok();
  const err = ctx.modem.simErrorCode();
  return err === undefined ? ok([ctx.modem.sim.imsi]) : cme(err);
};

/** The ICCID can be read while the SIM waits for its PIN; not without a SIM. */
function iccid(format: (iccid: string) => string): CommandHandler {
  return (cmd, ctx) => {
    if (formOf(cmd) === 'test') return ok();
    const state = ctx.modem.simState();
    if (state === 'absent' || state === 'initializing') return cme(ctx.modem.simErrorCode()!);
    return ok([format(ctx.modem.sim.iccid)]);
  };
}

/** SIM commands of both dialects. */
export const SIM_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  '+CPIN': cpin,
  '+CLCK': clck,
  '+CIMI': cimi,
};

/** SIMCom: `AT+CCID` answers the bare ICCID. */
export const SIMCOM_SIM_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  '+CCID': iccid((v) => CCID.format(v)),
};

/** Quectel: `AT+QCCID` answers `+QCCID: <iccid>`; `AT+CCID` answers `+CCID: <iccid>`. */
export const QUECTEL_SIM_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  '+QCCID': iccid((v) => QCCID.format(v)),
  '+CCID': iccid((v) => `+CCID: ${v}`),
};
