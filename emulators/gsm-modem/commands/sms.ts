/**
 * Sending SMS (3GPP TS 27.005 §3.2.3, §3.5.1): `+CMGF`, `+CSCS`, `+CSCA`, `+CMGS`.
 *
 * ```
 *   AT+CMGF=1              OK
 *   AT+CMGS="+90532…"      > text…Ctrl-Z        +CMGS: <mr>  OK      (text mode)
 *   AT+CMGS=<tpdu length>  > hex PDU…Ctrl-Z     +CMGS: <mr>  OK      (PDU mode; kept undecoded)
 * ```
 * Every message accepted goes to the modem's outbox with its time. Refusals: `+CMS ERROR` 310
 * (no SIM), 311 (PIN), 316 (PUK), 313 (SIM failure), 314 (busy), 331 (no network service);
 * ESC cancels (OK, nothing sent).
 */
import { fromAscii } from '../../../core/bytes.ts';
import { AtError, CMGS, CMGS_SET, type ExtendedCommand } from '../../../protocols/at/index.ts';
import { cms, error, formOf, numArg, ok, type CommandAnswer, type CommandHandler, type CommandContext, type DataEnding } from '../answer.ts';

const SIM_TO_CMS: Readonly<Record<number, number>> = { 10: 310, 11: 311, 12: 316, 13: 313, 14: 314 };

const cmgf: CommandHandler = (cmd, ctx) => {
  switch (formOf(cmd)) {
    case 'read':
      return ok([`+CMGF: ${ctx.session.settings.smsText ? 1 : 0}`]);
    case 'test':
      return ok(['+CMGF: (0,1)']);
    case 'set': {
      const v = numArg(cmd, 0);
      if (v === undefined || v > 1) return error();
      ctx.session.settings.smsText = v === 1;
      return ok();
    }
    default:
      ctx.session.settings.smsText = false;
      return ok();
  }
};

const cscs: CommandHandler = (cmd) => {
  if (formOf(cmd) === 'read') return ok(['+CSCS: "GSM"']);
  if (formOf(cmd) === 'test') return ok(['+CSCS: ("IRA","GSM","UCS2")']);
  return ok();
};

const csca: CommandHandler = (cmd) => (formOf(cmd) === 'read' ? ok(['+CSCA: "+905329010000",145']) : ok());

async function accept(ctx: CommandContext, to: string | undefined, bytes: Uint8Array, ended: DataEnding, text: boolean): Promise<CommandAnswer> {
  const m = ctx.modem;
  if (ended === 'cancelled') return ok();
  if (ended === 'overflow') return cms(text ? 305 : 304);
  const body = fromAscii(bytes);
  if (!text && !/^([0-9A-Fa-f]{2})+$/.test(body)) return cms(304);
  await m.clock.sleep(m.profile.latencyMs.sms);
  if (!ctx.session.alive) return { silent: true };
  if (!m.radio.isRegistered()) return cms(331);
  const reference = m.nextSmsReference();
  m.smsOutbox.push({ at: m.clock.now(), ...(to !== undefined ? { to } : {}), ...(text ? { text: body } : { pdu: body.toUpperCase() }), reference, technology: ctx.session.reg.tech });
  return ok([CMGS.format({ mr: reference })]);
}

const cmgs: CommandHandler = (cmd, ctx) => {
  const m = ctx.modem;
  if (formOf(cmd) === 'test') return ok();
  if (formOf(cmd) !== 'set') return error();
  const err = m.simErrorCode();
  if (err !== undefined) return cms(SIM_TO_CMS[err] ?? 500);
  if (!m.radio.isRegistered()) return cms(331);
  const text = ctx.session.settings.smsText;
  let to: string | undefined;
  if (text) {
    const dest = cmd.syntax === 'extended' ? destination(cmd) : undefined;
    if (!dest || !/^\+?\d{3,20}$/.test(dest)) return cms(305);
    to = dest;
  } else {
    const length = numArg(cmd, 0);
    if (length === undefined || length < 7 || length > 164) return cms(304);
  }
  return { prompt: { until: 'ctrl-z' }, onData: (bytes, ended) => accept(ctx, to, bytes, ended, text) };
};

function destination(cmd: ExtendedCommand): string | undefined {
  try {
    return CMGS_SET.parse(cmd).address;
  } catch (e) {
    if (e instanceof AtError) return undefined;
    throw e;
  }
}

/** SMS commands of both dialects. */
export const SMS_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  '+CMGF': cmgf,
  '+CSCS': cscs,
  '+CSCA': csca,
  '+CMGS': cmgs,
};
