/**
 * Radio and network commands: `+CSQ`, `+CREG`/`+CGREG`/`+CEREG`, `+COPS`, `+CGATT`,
 * `+CGDCONT`, `+CFUN`, and the Quectel `+QCFG="nwscanmode"` and `+QNWINFO`.
 */
import { COPS, COPS_LIST, CSQ, CGATT, CGDCONT, QCFG_NWSCANMODE, QNWINFO, type OperatorEntry } from '../../../protocols/at/index.ts';
import { argCount, cme, error, formOf, numArg, ok, strArg, type CommandHandler } from '../answer.ts';
import { actOf, allowedTechnologies, registrationLine, type RegPrefix } from '../registration.ts';

const csq: CommandHandler = (cmd, ctx) => {
  if (formOf(cmd) === 'test') return ok(['+CSQ: (0-31,99),(0-7,99)']);
  if (formOf(cmd) !== 'execute') return error();
  return ok([CSQ.format(ctx.modem.radio.signal())]);
};

function registrationCommand(prefix: RegPrefix): CommandHandler {
  return (cmd, ctx) => {
    const m = ctx.modem;
    const st = ctx.session.settings;
    switch (formOf(cmd)) {
      case 'test':
        return ok([`${prefix}: (0-2)`]);
      case 'read':
        return ok([registrationLine(prefix, ctx.session.reg, st.regN[prefix], true, m.network, m.profile.access.registrationAct)]);
      case 'set': {
        const n = numArg(cmd, 0);
        if (n === undefined || n > 2 || argCount(cmd) !== 1) return error();
        st.regN[prefix] = n;
        return ok();
      }
      default:
        st.regN[prefix] = 0;
        return ok();
    }
  };
}

const cops: CommandHandler = (cmd, ctx) => {
  const m = ctx.modem;
  const st = ctx.session.settings;
  const withAct = m.profile.access.registrationAct;
  const op = m.network.operator;
  const name = (format: number) => (format === 2 ? op.numeric : format === 1 ? op.short : op.long);
  switch (formOf(cmd)) {
    case 'read': {
      const reg = ctx.session.reg;
      if (!m.radio.isRegistered() || reg.tech === undefined) return ok([COPS.format({ mode: 0 })]);
      return ok([COPS.format({ mode: 0, format: st.copsFormat, oper: name(st.copsFormat), ...(withAct ? { act: actOf(reg.tech) } : {}) })]);
    }
    case 'test': {
      const err = m.simErrorCode();
      if (err !== undefined) return cme(err);
      const heard = allowedTechnologies(m.profile.access.technologies, m.scanMode).filter((t) => m.radio.hasService(t));
      const operators: OperatorEntry[] = heard.map((t) => ({ stat: ctx.session.reg.tech === t ? 2 : 1, long: op.long, short: op.short, numeric: op.numeric, ...(withAct ? { act: actOf(t) } : {}) }));
      return ok([COPS_LIST.format({ operators, modes: '(0-4)', formats: '(0-2)' })]);
    }
    case 'set': {
      const mode = numArg(cmd, 0);
      const format = numArg(cmd, 1);
      if (mode === undefined || mode > 4 || (format !== undefined && format > 2)) return error();
      if (format !== undefined) st.copsFormat = format;
      if (mode === 0 || mode === 2 || mode === 3) return ok();
      const oper = strArg(cmd, 2);
      if (oper === undefined) return error();
      if (![op.long, op.short, op.numeric].includes(oper)) return cme(mode === 4 ? 30 : 32);
      return ok();
    }
    default:
      return error();
  }
};

const cgatt: CommandHandler = (cmd, ctx) => {
  const m = ctx.modem;
  const s = ctx.session;
  switch (formOf(cmd)) {
    case 'test':
      return ok(['+CGATT: (0,1)']);
    case 'read':
      return ok([CGATT.format(m.radio.isRegistered() && !s.detached)]);
    case 'set': {
      const v = numArg(cmd, 0);
      if (v === undefined || v > 1) return error();
      if (v === 0) {
        s.detached = true;
        m.radio.pdpLost('detached');
        return ok();
      }
      s.detached = false;
      if (!m.radio.isRegistered()) return m.simErrorCode() !== undefined ? cme(m.simErrorCode()!) : cme(30);
      m.radio.reconcile();
      return ok();
    }
    default:
      return error();
  }
};

const cgdcont: CommandHandler = (cmd, ctx) => {
  const s = ctx.session;
  switch (formOf(cmd)) {
    case 'test':
      return ok(['+CGDCONT: (1-16),"IP",,,(0-2),(0-4)']);
    case 'read':
      return ok([...s.contexts.values()].filter((c) => c.apn !== '').map((c) => CGDCONT.format({ cid: c.cid, pdpType: c.type === 2 ? 'IPV6' : c.type === 3 ? 'IPV4V6' : 'IP', apn: c.apn, address: c.address ?? '0.0.0.0', dataCompression: 0, headerCompression: 0 })));
    case 'set': {
      const cid = numArg(cmd, 0);
      if (cid === undefined || cid < 1 || cid > 16) return error();
      const c = s.context(cid);
      const type = (strArg(cmd, 1) ?? 'IP').toUpperCase();
      c.type = type === 'IPV6' ? 2 : type === 'IPV4V6' ? 3 : 1;
      c.apn = strArg(cmd, 2) ?? '';
      return ok();
    }
    default:
      return error();
  }
};

const cfun: CommandHandler = (cmd, ctx) => {
  const m = ctx.modem;
  const s = ctx.session;
  switch (formOf(cmd)) {
    case 'test':
      return ok(['+CFUN: (0,1,4),(0,1)']);
    case 'read':
      return ok([`+CFUN: ${s.cfun}`]);
    case 'set': {
      const fun = numArg(cmd, 0);
      const rst = numArg(cmd, 1) ?? 0;
      if (fun === undefined || ![0, 1, 4].includes(fun) || rst > 1) return error();
      if (rst === 1) return { after: () => m.restart() };
      const before = s.cfun;
      s.cfun = fun;
      return {
        after: () => {
          if (before === 0 && fun === 1) m.radio.simPoweredAgain(s);
          m.radio.reconcile();
        },
      };
    }
    default:
      return error();
  }
};

const qcfg: CommandHandler = (cmd, ctx) => {
  const m = ctx.modem;
  if (formOf(cmd) === 'test') return ok(['+QCFG: "nwscanmode",(0-3),(0,1)']);
  if (formOf(cmd) !== 'set') return error();
  const item = strArg(cmd, 0)?.toLowerCase();
  if (item !== 'nwscanmode') return ok();
  const mode = numArg(cmd, 1);
  if (argCount(cmd) === 1) return ok([QCFG_NWSCANMODE.format(m.scanMode)]);
  if (mode === undefined || mode > 3) return error();
  m.scanMode = mode;
  return { after: () => m.radio.reconcile() };
};

const qnwinfo: CommandHandler = (cmd, ctx) => {
  const m = ctx.modem;
  if (formOf(cmd) === 'test') return ok();
  const tech = ctx.session.reg.tech;
  if (!m.radio.isRegistered() || tech === undefined) return ok([QNWINFO.format({ noService: true })]);
  const n = m.network;
  return ok([
    tech === 'lte'
      ? QNWINFO.format({ act: 'FDD LTE', oper: n.operator.numeric, band: n.lteCell.band, channel: n.lteCell.earfcn })
      : QNWINFO.format({ act: 'GSM', oper: n.operator.numeric, band: n.gsmCell.band, channel: n.gsmCell.arfcn }),
  ]);
};

/** Network commands of both dialects; the registration commands follow the profile's list. */
export function networkHandlers(registration: readonly string[]): Record<string, CommandHandler> {
  const out: Record<string, CommandHandler> = { '+CSQ': csq, '+COPS': cops, '+CGATT': cgatt, '+CGDCONT': cgdcont, '+CFUN': cfun };
  for (const p of registration as RegPrefix[]) out[p] = registrationCommand(p);
  return out;
}

/** Quectel additions. */
export const QUECTEL_NETWORK_HANDLERS: Readonly<Record<string, CommandHandler>> = { '+QCFG': qcfg, '+QNWINFO': qnwinfo };
