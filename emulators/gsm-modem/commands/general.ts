/**
 * V.250 and identification commands common to every module: `E`, `V`, `Q`, `Z`, `&F`, `&W`,
 * `I`, S-registers, `+CMEE`, `+IPR`, `+GMI/+CGMI`, `+GMM/+CGMM`, `+GMR/+CGMR`, `+GSN/+CGSN`,
 * `+CCLK`.
 */
import { BAUD_RATES } from '../../../lines/settings.ts';
import { dateAt } from '../../../core/clock/index.ts';
import type { AtCommand } from '../../../protocols/at/index.ts';
import { argCount, cme, error, formOf, numArg, ok, strArg, type CommandHandler, type CommandContext, type LineAnswer } from '../answer.ts';
import { defaultSettings } from '../session.ts';

/** A basic command's value (V.250: an omitted value is 0). */
function basicValue(cmd: AtCommand): number {
  return cmd.syntax === 'basic' ? (cmd.value ?? 0) : 0;
}

/** `E`, `V`, `Q`: a switch 0 or 1. */
function onOff(apply: (ctx: CommandContext, on: boolean) => void): CommandHandler {
  return (cmd, ctx) => {
    const v = basicValue(cmd);
    if (v > 1) return error();
    apply(ctx, v === 1);
    return ok();
  };
}

/** A read-only text line for the execute form; OK for the test form. */
function identity(text: (ctx: CommandContext) => string): CommandHandler {
  return (cmd, ctx) => {
    const form = formOf(cmd);
    if (form === 'test') return ok();
    if (form !== 'execute') return error();
    return ok([text(ctx)]);
  };
}

const reset: CommandHandler = (_cmd, ctx) => {
  ctx.session.settings = defaultSettings(ctx.modem.profile);
  ctx.modem.engine?.applyS(13, 8);
  return ok();
};

const sRegister: CommandHandler = (cmd, ctx) => {
  if (cmd.syntax !== 's-parameter') return error();
  const st = ctx.session.settings;
  const regs: Record<number, 's0' | 's3' | 's4' | 's5'> = { 0: 's0', 3: 's3', 4: 's4', 5: 's5' };
  const key = regs[cmd.register];
  if (!key) return cmd.form === 'read' ? ok(['000']) : ok();
  if (cmd.form === 'read') return ok([String(st[key]).padStart(3, '0')]);
  const v = cmd.value ?? 0;
  if (v > 127 && key !== 's0') return error();
  st[key] = v;
  ctx.modem.engine?.applyS(st.s3, st.s5);
  return ok();
};

const cmee: CommandHandler = (cmd, ctx) => {
  switch (formOf(cmd)) {
    case 'read':
      return ok([`+CMEE: ${ctx.session.settings.cmee}`]);
    case 'test':
      return ok(['+CMEE: (0-2)']);
    case 'set': {
      const n = numArg(cmd, 0);
      if (n === undefined || n > 2 || argCount(cmd) !== 1) return error();
      ctx.session.settings.cmee = n as 0 | 1 | 2;
      return ok();
    }
    default:
      ctx.session.settings.cmee = 0;
      return ok();
  }
};

const ipr: CommandHandler = (cmd, ctx) => {
  switch (formOf(cmd)) {
    case 'read':
      return ok([`+IPR: ${ctx.modem.ipr}`]);
    case 'test':
      return ok([`+IPR: (0,${BAUD_RATES.join(',')})`]);
    case 'set': {
      const rate = numArg(cmd, 0);
      if (rate === undefined || (rate !== 0 && !(BAUD_RATES as readonly number[]).includes(rate))) return error();
      return { after: () => ctx.modem.setBaud(rate) };
    }
    default:
      return error();
  }
};

/** `yy/MM/dd,hh:mm:ss±zz` with the zone in quarter hours, as 27.007 §8.15 writes it. */
export function cclkText(ms: number, offsetMin: number): string {
  const d = dateAt(ms + offsetMin * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const q = Math.round(offsetMin / 15);
  return `${p(d.getUTCFullYear() % 100)}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())},${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${q < 0 ? '-' : '+'}${p(Math.abs(q))}`;
}

const cclk: CommandHandler = (cmd, ctx) => {
  const m = ctx.modem;
  const offset = m.network.utcOffsetMin;
  switch (formOf(cmd)) {
    case 'read':
      return ok([`+CCLK: "${cclkText(m.clock.now() + m.clockOffsetMs, offset)}"`]);
    case 'test':
      return ok();
    case 'set': {
      const t = /^(\d\d)\/(\d\d)\/(\d\d),(\d\d):(\d\d):(\d\d)([+-]\d\d)$/.exec(strArg(cmd, 0) ?? '');
      if (!t) return cme(50);
      const [, yy, mo, dd, hh, mi, ss, zz] = t.map(Number) as number[];
      const local = Date.UTC(2000 + yy!, mo! - 1, dd!, hh!, mi!, ss!);
      m.clockOffsetMs = local - zz! * 15 * 60_000 - m.clock.now();
      return ok();
    }
    default:
      return error();
  }
};

/** The handlers of this family, by command key. */
export const GENERAL_HANDLERS: Readonly<Record<string, CommandHandler>> = {
  E: onOff((ctx, on) => (ctx.session.settings.echo = on)),
  V: onOff((ctx, on) => (ctx.session.settings.verbose = on)),
  Q: onOff((ctx, on) => (ctx.session.settings.quiet = on)),
  Z: reset,
  '&F': reset,
  '&W': () => ok(),
  I: (_cmd, ctx): LineAnswer => ok(ctx.modem.profile.identity.ati),
  S: sRegister,
  '+CMEE': cmee,
  '+IPR': ipr,
  '+CCLK': cclk,
  '+GMI': identity((c) => c.modem.profile.identity.manufacturer),
  '+CGMI': identity((c) => c.modem.profile.identity.manufacturer),
  '+GMM': identity((c) => c.modem.profile.identity.model),
  '+CGMM': identity((c) => c.modem.profile.identity.model),
  '+GMR': identity((c) => c.modem.profile.identity.revision),
  '+CGMR': identity((c) => c.modem.profile.identity.revision),
  '+GSN': identity((c) => c.modem.imei),
  '+CGSN': identity((c) => c.modem.imei),
};
