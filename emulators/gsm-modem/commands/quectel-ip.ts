/**
 * Quectel EC2x TCP/IP (TCP(IP) Application Note §2.3–§2.4):
 *
 * ```
 *  AT+QICSGP=1,1,"apn","","",1 → OK     AT+QIACT=1 → OK      AT+QIACT? → +QIACT: 1,1,1,"<ip>"
 *  AT+QIOPEN=1,<id>,"TCP","<host>",<port>,0,<mode> → OK … +QIOPEN: <id>,<err>   (0 opened, 566 failed,
 *                                                          561 context not active, 563 id in use)
 *  AT+QISEND=<id>,<n> → > … → SEND OK      AT+QISEND=<id>,0 → +QISEND: <total>,<acked>,<unacked>
 *  buffer mode (0):  +QIURC: "recv",<id>   then AT+QIRD=<id>,<n> → +QIRD: <n> <data> OK  (+QIRD: 0 empty)
 *  push mode (1):    +QIURC: "recv",<id>,<n><CR><LF><data>
 *  remote close: +QIURC: "closed",<id> (close with AT+QICLOSE)   PDP lost: +QIURC: "pdpdeact",<ctx>
 * ```
 * A context the network deactivated must be deactivated (`AT+QIDEACT`) before it is activated
 * again. UDP, servers and transparent mode (access mode 2) answer `+CME ERROR: 555`.
 */
import { QIACT, QICLOSE_SET, QICSGP, QIOPEN, QIOPEN_SET, QIRD, QIRD_COUNTERS, QIRD_SET, QISEND, QISEND_SET, QISTATE, QIURC, QICSGP_SET, AtError } from '../../../protocols/at/index.ts';
import { ascii, concatBytes } from '../../../core/bytes.ts';
import { cme, error, formOf, numArg, ok, type CommandContext, type CommandHandler } from '../answer.ts';
import type { SocketDialect } from '../dialect.ts';
import type { PdpContextState } from '../session.ts';
import { ModemSocket, type SocketListener } from '../sockets.ts';
import { sendTyped } from './socket-send.ts';

function parsed<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof AtError) return undefined;
    throw e;
  }
}

function listener(ctx: CommandContext): SocketListener {
  const { modem: m, session: s } = ctx;
  return {
    connected: (k) => m.urc(QIOPEN.format({ connectId: k.id, err: 0 })),
    failed: (k) => m.urc(QIOPEN.format({ connectId: k.id, err: 566 })),
    remoteClosed: (k) => m.urc(QIURC.format({ event: 'closed', connectId: k.id })),
    data: (k) => {
      if (k.accessMode === 1) {
        const bytes = k.read(k.unread);
        const eol = String.fromCharCode(s.settings.s3, s.settings.s4);
        const head = QIURC.format({ event: 'recv', connectId: k.id, length: bytes.length });
        m.urcBytes(concatBytes([ascii(`${s.settings.verbose ? eol : ''}${head}${eol}`), bytes, ascii(eol)]));
        return;
      }
      if (k.notified) return;
      k.notified = true;
      m.urc(QIURC.format({ event: 'recv', connectId: k.id }));
    },
  };
}

const qicsgp: CommandHandler = (cmd, ctx) => {
  const s = ctx.session;
  if (formOf(cmd) === 'test') return ok(['+QICSGP: (1-16),(1-3),<APN>,<username>,<password>,(0-3)']);
  if (cmd.syntax !== 'extended' || cmd.form !== 'set') return error();
  const v = parsed(() => QICSGP_SET.parse(cmd));
  if (!v) return error();
  const c = s.context(v.contextId);
  if (cmd.args.length === 1) return ok([QICSGP.format({ type: c.type, apn: c.apn, user: c.user, password: c.password, auth: c.auth })]);
  if (c.active) return error();
  c.type = v.type ?? 1;
  c.apn = v.apn ?? '';
  c.user = v.user ?? '';
  c.password = v.password ?? '';
  c.auth = v.auth ?? 0;
  return ok();
};

function activeLine(c: PdpContextState): string {
  return QIACT.format({ contextId: c.cid, state: 1, type: c.type, ...(c.address ? { address: c.address } : {}) });
}

const qiact: CommandHandler = (cmd, ctx) => {
  const { modem: m, session: s } = ctx;
  switch (formOf(cmd)) {
    case 'test':
      return ok(['+QIACT: (1-16)']);
    case 'read':
      return ok(s.activeContexts().map(activeLine));
    case 'set':
      break;
    default:
      return error();
  }
  const cid = numArg(cmd, 0);
  if (cid === undefined || cid < 1 || cid > 16) return error();
  const c = s.context(cid);
  if (c.active || c.lost) return error();
  if (m.simErrorCode() !== undefined || m.radio.dataTechnology() === undefined) return error();
  if (m.faults.take('pdp-activation-fail', m.clock.now())) return error();
  if (!m.network.acceptsApn(c.apn)) return error();
  c.active = true;
  c.address = m.network.allocateAddress();
  return ok();
};

const qideact: CommandHandler = (cmd, ctx) => {
  const s = ctx.session;
  if (formOf(cmd) === 'test') return ok(['+QIDEACT: (1-16)']);
  const cid = numArg(cmd, 0);
  if (formOf(cmd) !== 'set' || cid === undefined || cid < 1 || cid > 16) return error();
  for (const [id, k] of s.sockets) {
    if (k.contextId !== cid) continue;
    k.close('context deactivated');
    s.sockets.delete(id);
  }
  const c = s.context(cid);
  c.active = false;
  c.lost = false;
  delete c.address;
  return ok();
};

const qiopen: CommandHandler = (cmd, ctx) => {
  const { modem: m, session: s } = ctx;
  if (formOf(cmd) === 'test') return ok(['+QIOPEN: (1-16),(0-11),"TCP/UDP/TCP LISTENER/UDP SERVICE","<IP_address>/<domain_name>",<remote_port>,<local_port>,(0-2)']);
  if (cmd.syntax !== 'extended' || cmd.form !== 'set') return error();
  const v = parsed(() => QIOPEN_SET.parse(cmd));
  if (!v || v.connectId >= m.profile.sockets.count) return cme(552);
  if (v.service !== 'TCP' || (v.accessMode ?? 0) > 1) return cme(555);
  const old = s.sockets.get(v.connectId);
  if (old && old.state !== 'closed') return cme(563);
  const c = s.contexts.get(v.contextId);
  if (!c?.active) return { after: () => m.urc(QIOPEN.format({ connectId: v.connectId, err: 561 })) };
  return {
    after: () => {
      const sock = new ModemSocket(v.connectId, 'TCP', v.host, v.remotePort, v.contextId, v.accessMode ?? 0, m.socketHost(s), listener(ctx));
      s.sockets.set(v.connectId, sock);
      void sock.open(m.faults.take('connect-fail', m.clock.now()) ? 'connection refused' : undefined);
    },
  };
};

const qisend: CommandHandler = (cmd, ctx) => {
  const { modem: m, session: s } = ctx;
  const max = m.profile.sockets.maxSendBytes;
  if (formOf(cmd) === 'test') return ok([`+QISEND: (0-11),(0-${max})`]);
  if (cmd.syntax !== 'extended' || cmd.form !== 'set') return error();
  const v = parsed(() => QISEND_SET.parse(cmd));
  if (!v || v.remoteIp !== undefined) return error();
  const sock = s.sockets.get(v.connectId);
  if (v.length === 0) {
    if (!sock) return error();
    return ok([QISEND.format({ total: sock.txTotal, acked: sock.txAcked, unacked: sock.txTotal - sock.txAcked })]);
  }
  if (!sock || sock.state !== 'connected') return error();
  return {
    prompt: v.length === undefined ? { until: 'ctrl-z' } : { length: v.length },
    onData: (bytes, ended) => {
      if (ended === 'ctrl-z' && bytes.length > max) return error();
      return sendTyped(ctx, sock, bytes, ended, { sent: { kind: 'send-ok' }, failed: { kind: 'send-fail' }, afterAck: false, cancelled: { kind: 'ok' } });
    },
  };
};

const qird: CommandHandler = (cmd, ctx) => {
  const { modem: m, session: s } = ctx;
  if (formOf(cmd) === 'test') return ok([`+QIRD: (0-11),(0-${m.profile.sockets.maxReadBytes})`]);
  if (cmd.syntax !== 'extended' || cmd.form !== 'set') return error();
  const v = parsed(() => QIRD_SET.parse(cmd));
  if (!v) return error();
  const sock = s.sockets.get(v.connectId);
  if (!sock || sock.accessMode !== 0) return error();
  if (v.length === 0) return ok([QIRD_COUNTERS.format({ total: sock.rxTotal, read: sock.rxRead, unread: sock.unread })]);
  const bytes = sock.read(Math.min(v.length ?? m.profile.sockets.maxReadBytes, m.profile.sockets.maxReadBytes));
  if (bytes.length === 0) return ok([QIRD.format({ length: 0 })]);
  return { block: { header: QIRD.format({ length: bytes.length }), data: bytes } };
};

const qiclose: CommandHandler = (cmd, ctx) => {
  const s = ctx.session;
  if (formOf(cmd) === 'test') return ok(['+QICLOSE: (0-11),(0-65535)']);
  if (cmd.syntax !== 'extended' || cmd.form !== 'set') return error();
  const v = parsed(() => QICLOSE_SET.parse(cmd));
  if (!v) return error();
  const sock = s.sockets.get(v.connectId);
  if (sock) {
    sock.close();
    s.sockets.delete(v.connectId);
  }
  return ok();
};

const STATE_CODE = { connecting: 1, connected: 2, 'remote-closed': 4, closed: 0 } as const;

const qistate: CommandHandler = (cmd, ctx) => {
  const s = ctx.session;
  if (formOf(cmd) === 'test') return ok();
  let pick = (_k: ModemSocket) => true;
  if (formOf(cmd) === 'set') {
    const type = numArg(cmd, 0);
    const id = numArg(cmd, 1);
    if (type === undefined || type > 1 || id === undefined) return error();
    pick = type === 0 ? (k) => k.contextId === id : (k) => k.id === id;
  } else if (formOf(cmd) !== 'read' && formOf(cmd) !== 'execute') return error();
  const lines = [...s.sockets.values()]
    .filter((k) => k.state !== 'closed' && pick(k))
    .map((k) => QISTATE.format({ connectId: k.id, service: 'TCP', address: k.host, remotePort: k.port, localPort: 0, state: STATE_CODE[k.state], contextId: k.contextId, serverId: 0, accessMode: k.accessMode, atPort: 'uart1' }));
  return ok(lines);
};

/** The Quectel socket family. */
export const QUECTEL_DIALECT: SocketDialect = {
  handlers: {
    '+QICSGP': qicsgp,
    '+QIACT': qiact,
    '+QIDEACT': qideact,
    '+QIOPEN': qiopen,
    '+QISEND': qisend,
    '+QIRD': qird,
    '+QICLOSE': qiclose,
    '+QISTATE': qistate,
  },
  pdpLost(modem, _session, cids) {
    for (const cid of cids) modem.urc(QIURC.format({ event: 'pdpdeact', contextId: cid }));
  },
};
