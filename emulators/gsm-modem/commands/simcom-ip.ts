/**
 * SIMCom SIM800 TCP/IP (AT Command Manual V1.09 §8.2, TCPIP Application Note):
 *
 * ```
 *  IP INITIAL ─CSTT─► IP START ─CIICR─► IP GPRSACT ─CIFSR─► IP STATUS ─CIPSTART─► TCP CONNECTING
 *      ▲                                                        ▲            │ CONNECT OK / CONNECT FAIL
 *      └──────────────────── CIPSHUT (SHUT OK) ◄── PDP DEACT     └─ TCP CLOSED ◄─ CIPCLOSE / CLOSED (remote)
 * ```
 * `AT+CIPSTART` is allowed in IP INITIAL (the module brings the bearer up itself, APN from
 * `AT+CSTT` or CMNET), IP STATUS and after a close; elsewhere ERROR. On an open connection it
 * answers ERROR and `ALREADY CONNECT`. `AT+CIPMUX=1` (links 0..5, `<n>, ` prefixes,
 * `+RECEIVE,<n>,<len>:` pushes) is accepted in IP INITIAL.
 *
 * Received data: with `AT+CIPRXGET=1` the module says `+CIPRXGET: 1[,<n>]` once data waits and
 * the DTE reads it with `AT+CIPRXGET=2,[<n>,]<len>` (`=3` hex, `=4` how much); otherwise it is
 * pushed, after `+IPD,<len>:` with `AT+CIPHEAD=1`, bare without.
 */
import { ascii, concatBytes, toHex } from '../../../core/bytes.ts';
import { CIPSTART, CIP_CONNECTION, CIP_STATE, CIFSR, CSTT, RECEIVE_HEADER, cipClose, cipRxGet, cipSend, type CipState, type FinalResult } from '../../../protocols/at/index.ts';
import { AtError } from '../../../protocols/at/index.ts';
import { argCount, error, formOf, numArg, ok, strArg, type CommandContext, type CommandHandler } from '../answer.ts';
import type { SocketDialect } from '../dialect.ts';
import type { Session } from '../session.ts';
import { ModemSocket, type SocketListener } from '../sockets.ts';
import { sendTyped } from './socket-send.ts';

const DEFAULT_APN = 'CMNET';

function parsed<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof AtError) return undefined;
    throw e;
  }
}

/** `n, ` before an event in multi-IP mode. */
const tag = (s: Session, id: number, text: string) => (s.settings.cipMux ? `${id}, ${text}` : text);

/** A 0/1 setting with its read and test forms. */
function flag(name: string, get: (s: Session) => boolean, set: (s: Session, v: boolean) => void, onlyInitial = false): CommandHandler {
  return (cmd, ctx) => {
    const s = ctx.session;
    switch (formOf(cmd)) {
      case 'read':
        return ok([`${name}: ${get(s) ? 1 : 0}`]);
      case 'test':
        return ok([`${name}: (0,1)`]);
      case 'set': {
        const v = numArg(cmd, 0);
        if (v === undefined || v > 1) return error();
        if (onlyInitial && s.cipStage !== 'IP INITIAL' && get(s) !== (v === 1)) return error();
        set(s, v === 1);
        return ok();
      }
      default:
        return error();
    }
  };
}

function listener(ctx: CommandContext): SocketListener {
  const { modem: m, session: s } = ctx;
  return {
    connected: (k) => m.urc(tag(s, k.id, 'CONNECT OK')),
    failed: (k) => m.urc(tag(s, k.id, 'CONNECT FAIL')),
    remoteClosed: (k) => m.urc(tag(s, k.id, 'CLOSED')),
    data: (k) => {
      if (s.settings.cipManualReceive) {
        if (k.notified) return;
        k.notified = true;
        m.urc(s.settings.cipMux ? `+CIPRXGET: 1,${k.id}` : '+CIPRXGET: 1');
        return;
      }
      const bytes = k.read(k.unread);
      const eol = String.fromCharCode(s.settings.s3, s.settings.s4);
      const lead = s.settings.verbose ? eol : '';
      if (s.settings.cipMux) m.urcBytes(concatBytes([ascii(`${lead}${RECEIVE_HEADER.format({ link: k.id, length: bytes.length })}${eol}`), bytes]));
      else if (s.settings.cipHead) m.urcBytes(concatBytes([ascii(`${lead}${RECEIVE_HEADER.format({ length: bytes.length })}`), bytes]));
      else m.urcBytes(bytes);
    },
  };
}

/** Activates context 1 for the bearer; undefined on success, else why not. */
function bringUp(ctx: CommandContext): string | undefined {
  const { modem: m, session: s } = ctx;
  const c = s.context(1);
  if (m.simErrorCode() !== undefined) return 'SIM not ready';
  if (m.radio.dataTechnology() === undefined) return 'not attached';
  if (m.faults.take('pdp-activation-fail', m.clock.now())) return 'activation refused';
  if (!m.network.acceptsApn(c.apn || DEFAULT_APN)) return `APN ${c.apn || DEFAULT_APN} refused`;
  c.active = true;
  c.lost = false;
  c.address = m.network.allocateAddress();
  return undefined;
}

const cstt: CommandHandler = (cmd, ctx) => {
  const s = ctx.session;
  const c = s.context(1);
  switch (formOf(cmd)) {
    case 'read':
      return ok([CSTT.format({ apn: c.apn || DEFAULT_APN, user: c.user, password: c.password })]);
    case 'test':
      return ok(['+CSTT: "APN","USER","PWD"']);
    default: {
      if (s.cipStage !== 'IP INITIAL') return error();
      if (formOf(cmd) === 'set') {
        if (argCount(cmd) > 3 || strArg(cmd, 0) === undefined) return error();
        c.apn = strArg(cmd, 0)!;
        c.user = strArg(cmd, 1) ?? '';
        c.password = strArg(cmd, 2) ?? '';
      }
      s.cipStage = 'IP START';
      return ok();
    }
  }
};

const ciicr: CommandHandler = (cmd, ctx) => {
  const s = ctx.session;
  if (formOf(cmd) === 'test') return ok();
  if (formOf(cmd) !== 'execute' || s.cipStage !== 'IP START') return error();
  if (bringUp(ctx) !== undefined) return error();
  s.cipStage = 'IP GPRSACT';
  return ok();
};

const cifsr: CommandHandler = (cmd, ctx) => {
  const s = ctx.session;
  if (formOf(cmd) === 'test') return ok();
  const c = s.contexts.get(1);
  if (!c?.active || !c.address || s.cipStage === 'IP INITIAL' || s.cipStage === 'IP START' || s.cipStage === 'PDP DEACT') return error();
  if (s.cipStage === 'IP GPRSACT') s.cipStage = 'IP STATUS';
  return { result: { kind: 'value', text: CIFSR.format(c.address) } };
};

const cipstart: CommandHandler = (cmd, ctx) => {
  const { modem: m, session: s } = ctx;
  if (formOf(cmd) === 'test') return ok(['+CIPSTART: ("TCP","UDP"),("(0-255).(0-255).(0-255).(0-255)"),(1-65535)']);
  if (cmd.syntax !== 'extended' || cmd.form !== 'set') return error();
  const v = parsed(() => CIPSTART.parse(cmd));
  if (!v || (v.link !== undefined) !== s.settings.cipMux || (v.link ?? 0) >= m.profile.sockets.count) return error();
  if (v.protocol !== 'TCP') return error();
  const id = v.link ?? 0;
  const existing = s.sockets.get(id);
  if (existing && (existing.state === 'connecting' || existing.state === 'connected')) return { result: { kind: 'error' }, after: () => m.urc(tag(s, id, 'ALREADY CONNECT')) };
  const initial = s.cipStage === 'IP INITIAL' && !s.settings.cipMux;
  if (!initial && s.cipStage !== 'IP STATUS') return error();
  if (initial && m.simErrorCode() !== undefined) return error();
  return {
    after: () => {
      const failure = initial ? bringUp(ctx) : undefined;
      if (initial && failure === undefined) s.cipStage = 'IP STATUS';
      const sock = new ModemSocket(id, 'TCP', v.host, v.port, 1, 0, m.socketHost(s), listener(ctx));
      s.sockets.set(id, sock);
      const refused = failure ?? (m.faults.take('connect-fail', m.clock.now()) ? 'connection refused' : undefined);
      void sock.open(refused);
    },
  };
};

const cipsend: CommandHandler = (cmd, ctx) => {
  const { modem: m, session: s } = ctx;
  const max = m.profile.sockets.maxSendBytes;
  const multi = s.settings.cipMux;
  if (formOf(cmd) === 'test') return ok([multi ? `+CIPSEND: (0-${m.profile.sockets.count - 1}),(1-${max})` : `+CIPSEND: (1-${max})`]);
  if (formOf(cmd) === 'read') {
    if (!multi) return ok([`+CIPSEND: ${max}`]);
    return ok([...s.sockets.values()].filter((k) => k.state === 'connected').map((k) => `+CIPSEND: ${k.id},${max}`));
  }
  if (cmd.syntax !== 'extended') return error();
  const v = parsed(() => cipSend(multi).parse(cmd));
  if (!v) return error();
  const sock = s.sockets.get(v.link ?? 0);
  if (!sock || sock.state !== 'connected') return error();
  if (v.length !== undefined && v.length > max) return error();
  const link = multi ? v.link : undefined;
  const sent: FinalResult = s.settings.cipQuickSend ? { kind: 'data-accept', length: 0, ...(link !== undefined ? { link } : {}) } : { kind: 'send-ok', ...(link !== undefined ? { link } : {}) };
  return {
    prompt: v.length === undefined ? { until: 'ctrl-z' } : { length: v.length },
    onData: (bytes, ended) => {
      if (ended === 'ctrl-z' && bytes.length > max) return error();
      const ok1 = sent.kind === 'data-accept' ? { ...sent, length: bytes.length } : sent;
      return sendTyped(ctx, sock, bytes, ended, {
        sent: ok1,
        failed: { kind: 'send-fail', ...(link !== undefined ? { link } : {}) },
        afterAck: m.profile.sockets.sendOkAfterAck && !s.settings.cipQuickSend,
        cancelled: { kind: 'ok' },
      });
    },
  };
};

const cipclose: CommandHandler = (cmd, ctx) => {
  const s = ctx.session;
  if (formOf(cmd) === 'test') return ok();
  if (cmd.syntax !== 'extended') return error();
  const v = parsed(() => cipClose(s.settings.cipMux).parse(cmd));
  if (!v) return error();
  const id = v.link ?? 0;
  const sock = s.sockets.get(id);
  if (!sock || (sock.state !== 'connected' && sock.state !== 'connecting')) return error();
  sock.close();
  return { result: { kind: 'close-ok', ...(s.settings.cipMux ? { link: id } : {}) } };
};

const cipshut: CommandHandler = (cmd, ctx) => {
  const s = ctx.session;
  if (formOf(cmd) === 'test') return ok();
  for (const k of s.sockets.values()) k.close('shut by the terminal');
  s.sockets.clear();
  for (const c of s.contexts.values()) {
    c.active = false;
    c.lost = false;
    delete c.address;
  }
  s.cipStage = 'IP INITIAL';
  return { result: { kind: 'shut-ok' } };
};

const cipstatus: CommandHandler = (cmd, ctx) => {
  const { modem: m, session: s } = ctx;
  if (formOf(cmd) === 'test') return ok();
  if (!s.settings.cipMux) return { trailing: [CIP_STATE.format(m.cipState() as CipState)] };
  const lines = [CIP_STATE.format(s.cipStage === 'IP STATUS' && [...s.sockets.values()].some((k) => k.state === 'connected') ? 'IP PROCESSING' : (s.cipStage as CipState))];
  for (let id = 0; id < m.profile.sockets.count; id++) {
    const k = s.sockets.get(id);
    const state = !k ? 'INITIAL' : k.state === 'connecting' ? 'CONNECTING' : k.state === 'connected' ? 'CONNECTED' : k.state === 'remote-closed' ? 'REMOTE CLOSING' : 'CLOSED';
    lines.push(CIP_CONNECTION.format({ link: id, bearer: 0, protocol: k?.protocol ?? '', address: k?.host ?? '', port: k ? String(k.port) : '', state }));
  }
  return { trailing: lines };
};

const ciprxget: CommandHandler = (cmd, ctx) => {
  const { modem: m, session: s } = ctx;
  const multi = s.settings.cipMux;
  switch (formOf(cmd)) {
    case 'read':
      return ok([`+CIPRXGET: ${s.settings.cipManualReceive ? 1 : 0}`]);
    case 'test':
      return ok([`+CIPRXGET: (0-4)${multi ? ',(0-5)' : ''},(1-${m.profile.sockets.maxReadBytes})`]);
    case 'set':
      break;
    default:
      return error();
  }
  if (cmd.syntax !== 'extended') return error();
  const v = parsed(() => cipRxGet(multi).parse(cmd));
  if (!v) return error();
  if (v.mode <= 1) {
    s.settings.cipManualReceive = v.mode === 1;
    return ok();
  }
  if (!s.settings.cipManualReceive) return error();
  const id = v.link ?? 0;
  const sock = s.sockets.get(id);
  if (!sock) return error();
  const pre = multi ? `${id},` : '';
  if (v.mode === 4) return ok([`+CIPRXGET: 4,${pre}${sock.unread}`]);
  const max = v.mode === 3 ? Math.floor(m.profile.sockets.maxReadBytes / 2) : m.profile.sockets.maxReadBytes;
  const want = v.length ?? max;
  if (want > max) return error();
  const bytes = sock.read(want);
  const header = `+CIPRXGET: ${v.mode},${pre}${bytes.length},${sock.unread}`;
  if (bytes.length === 0) return ok([header]);
  return { block: { header, data: v.mode === 3 ? ascii(toHex(bytes, '').toUpperCase()) : bytes } };
};

/** The SIMCom socket family. */
export const SIMCOM_DIALECT: SocketDialect = {
  handlers: {
    '+CSTT': cstt,
    '+CIICR': ciicr,
    '+CIFSR': cifsr,
    '+CIPSTART': cipstart,
    '+CIPSEND': cipsend,
    '+CIPCLOSE': cipclose,
    '+CIPSHUT': cipshut,
    '+CIPSTATUS': cipstatus,
    '+CIPRXGET': ciprxget,
    '+CIPMUX': flag('+CIPMUX', (s) => s.settings.cipMux, (s, v) => (s.settings.cipMux = v), true),
    '+CIPHEAD': flag('+CIPHEAD', (s) => s.settings.cipHead, (s, v) => (s.settings.cipHead = v)),
    '+CIPQSEND': flag('+CIPQSEND', (s) => s.settings.cipQuickSend, (s, v) => (s.settings.cipQuickSend = v)),
  },
  pdpLost(modem, session) {
    session.cipStage = 'PDP DEACT';
    modem.urc('+PDP: DEACT');
  },
};

