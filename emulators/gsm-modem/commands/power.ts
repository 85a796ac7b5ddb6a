/**
 * Power-down commands: SIMCom `AT+CPOWD=1` (answers `NORMAL POWER DOWN` and switches off;
 * `AT+CPOWD=0` switches off at once, silently) and Quectel `AT+QPOWD[=1]` (OK, then
 * `POWERED DOWN`; `AT+QPOWD=0` is the immediate form, also ending with `POWERED DOWN`).
 * `AT+CFUN` is in `network.ts`.
 */
import { error, formOf, numArg, ok, type CommandHandler } from '../answer.ts';

const cpowd: CommandHandler = (cmd, ctx) => {
  if (formOf(cmd) === 'test') return ok(['+CPOWD: (0,1)']);
  const n = formOf(cmd) === 'set' ? numArg(cmd, 0) : 1;
  if (n === undefined || n > 1) return error();
  const m = ctx.modem;
  if (n === 0) return { silent: true, after: () => m.powerOff() };
  return { result: { kind: 'value', text: m.profile.boot.powerDownUrc }, after: () => m.powerOff() };
};

const qpowd: CommandHandler = (cmd, ctx) => {
  if (formOf(cmd) === 'test') return ok(['+QPOWD: (0,1)']);
  const n = formOf(cmd) === 'set' ? numArg(cmd, 0) : 1;
  if (n === undefined || n > 1) return error();
  const m = ctx.modem;
  return { after: () => m.shutdown(m.profile.boot.powerDownUrc) };
};

/** SIMCom power commands. */
export const SIMCOM_POWER_HANDLERS: Readonly<Record<string, CommandHandler>> = { '+CPOWD': cpowd };
/** Quectel power commands. */
export const QUECTEL_POWER_HANDLERS: Readonly<Record<string, CommandHandler>> = { '+QPOWD': qpowd };
