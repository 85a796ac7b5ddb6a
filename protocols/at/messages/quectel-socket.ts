/**
 * Quectel EC2x/EG9x sockets (TCP/IP Application Note §2.3–§2.4):
 *
 * ```
 *   AT+QIOPEN=1,0,"TCP","220.180.239.212",8009,0,1   OK … +QIOPEN: 0,0        (URC; err 0 = opened)
 *   AT+QISEND=0[,<len>]                              > …data… (Ctrl-Z or <len> bytes)  SEND OK | SEND FAIL
 *   AT+QISEND=0,0                                    +QISEND: <total>,<acked>,<unacked>
 *   AT+QIRD=0[,<len>]                                +QIRD: <len><CR><LF><data>  OK     (+QIRD: 0 when empty)
 *   AT+QIRD=0,0                                      +QIRD: <total>,<read>,<unread>
 *   AT+QICLOSE=0[,<timeout>]                         OK
 *   AT+QISTATE? / =1,<ctx> / =0,<id>                 +QISTATE: <id>,"TCP","<ip>",<rport>,<lport>,<state>,<ctx>,<server>,<mode>,"<port>"
 *   +QIURC: "closed",<id> | "recv",<id>[,<len>] | "pdpdeact",<ctx> | "incoming",<id>,<server>,"<ip>",<port> | "incoming full"
 * ```
 * access mode: 0 buffer access, 1 direct push, 2 transparent.
 */
import type { AtArg } from '../args.ts';
import { AtError } from '../errors.ts';
import { Fields, line, n, on, oq, q, trimEmpty, type CommandCodec, type ResponseCodec } from './codec.ts';

/** `<service_type>` values of `AT+QIOPEN`. */
export const SERVICE_TYPES = ['TCP', 'UDP', 'TCP LISTENER', 'UDP SERVICE'] as const;
/** One of `SERVICE_TYPES`. */
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** `AT+QIOPEN` parameters. */
export interface QiOpen {
  contextId: number;
  connectId: number;
  service: ServiceType;
  host: string;
  remotePort: number;
  localPort?: number;
  accessMode?: number;
}

/** `AT+QIOPEN=1,0,"TCP","220.180.239.212",8009,0,1` ⇄ `QiOpen`. */
export const QIOPEN_SET: CommandCodec<QiOpen> = {
  name: '+QIOPEN',
  parse(cmd) {
    const f = Fields.ofCommand(cmd, '+QIOPEN').count(5, 7);
    const out: QiOpen = {
      contextId: f.int(0, 'contextID', 1, 16),
      connectId: f.int(1, 'connectID', 0, 11),
      service: f.oneOf(2, 'service_type', SERVICE_TYPES),
      host: f.str(3, 'IP_address/domain_name'),
      remotePort: f.int(4, 'remote_port', 0, 65535),
    };
    const local = f.optInt(5, 'local_port', 0, 65535);
    if (local !== undefined) out.localPort = local;
    const mode = f.optInt(6, 'access_mode', 0, 2);
    if (mode !== undefined) out.accessMode = mode;
    return out;
  },
  format: (v) => ({
    syntax: 'extended',
    name: '+QIOPEN',
    form: 'set',
    args: trimEmpty([n(v.contextId), n(v.connectId), q(v.service), q(v.host), n(v.remotePort), on(v.localPort ?? (v.accessMode === undefined ? undefined : 0)), on(v.accessMode)]),
  }),
};

/** The `+QIOPEN` URC: `err` 0 success, else a 5xx error code. */
export interface QiOpenResult {
  connectId: number;
  err: number;
}

/** `+QIOPEN: 0,0` ⇄ `QiOpenResult`. */
export const QIOPEN: ResponseCodec<QiOpenResult> = {
  prefix: '+QIOPEN',
  parse(text) {
    const f = Fields.ofLine(text, '+QIOPEN').count(2);
    return { connectId: f.int(0, 'connectID', 0, 11), err: f.int(1, 'err', 0) };
  },
  format: (v) => line('+QIOPEN', [n(v.connectId), n(v.err)]),
};

/** `AT+QISEND` parameters: no `length` sends until Ctrl-Z; `length` 0 queries the counters. */
export interface QiSend {
  connectId: number;
  length?: number;
  remoteIp?: string;
  remotePort?: number;
}

/** `AT+QISEND=0[,<len>[,"<ip>",<port>]]` ⇄ `QiSend`. */
export const QISEND_SET: CommandCodec<QiSend> = {
  name: '+QISEND',
  parse(cmd) {
    const f = Fields.ofCommand(cmd, '+QISEND').count(1, 4);
    const out: QiSend = { connectId: f.int(0, 'connectID', 0, 11) };
    const length = f.optInt(1, 'send_length', 0, 1460);
    if (length !== undefined) out.length = length;
    if (f.length > 2) {
      out.remoteIp = f.str(2, 'remoteIP');
      out.remotePort = f.int(3, 'remote_port', 0, 65535);
    }
    return out;
  },
  format: (v) => ({ syntax: 'extended', name: '+QISEND', form: 'set', args: trimEmpty([n(v.connectId), on(v.length), oq(v.remoteIp), on(v.remotePort)]) }),
};

/** `+QISEND: <total_send_length>,<ackedbytes>,<unackedbytes>`. */
export interface QiSendCounters {
  total: number;
  acked: number;
  unacked: number;
}

/** `+QISEND: 9,9,0` ⇄ `QiSendCounters`. */
export const QISEND: ResponseCodec<QiSendCounters> = {
  prefix: '+QISEND',
  parse(text) {
    const f = Fields.ofLine(text, '+QISEND').count(3);
    return { total: f.int(0, 'total_send_length', 0), acked: f.int(1, 'ackedbytes', 0), unacked: f.int(2, 'unackedbytes', 0) };
  },
  format: (v) => line('+QISEND', [n(v.total), n(v.acked), n(v.unacked)]),
};

/** `AT+QIRD=<connectID>[,<read_length>]` (`length` 0 queries the counters). */
export interface QiRead {
  connectId: number;
  length?: number;
}

/** `AT+QIRD=0,1500` ⇄ `QiRead`. */
export const QIRD_SET: CommandCodec<QiRead> = {
  name: '+QIRD',
  parse(cmd) {
    const f = Fields.ofCommand(cmd, '+QIRD').count(1, 2);
    const out: QiRead = { connectId: f.int(0, 'connectID', 0, 11) };
    const length = f.optInt(1, 'read_length', 0, 1500);
    if (length !== undefined) out.length = length;
    return out;
  },
  format: (v) => ({ syntax: 'extended', name: '+QIRD', form: 'set', args: trimEmpty([n(v.connectId), on(v.length)]) }),
};

/** The header before read bytes: `+QIRD: <len>[,"<ip>",<port>]` (UDP service adds the sender). */
export interface QiReadHeader {
  length: number;
  remoteIp?: string;
  remotePort?: number;
}

/** `+QIRD: 5` ⇄ `QiReadHeader`; a counters line is refused (see `QIRD_COUNTERS`). */
export const QIRD: ResponseCodec<QiReadHeader> = {
  prefix: '+QIRD',
  parse(text) {
    const f = Fields.ofLine(text, '+QIRD');
    if (f.length === 3 && f.args[1]!.kind === 'number') throw new AtError('shape', '+QIRD: a counters line (<total>,<read>,<unread>), not a data header', { offset: f.offsetOf(1), expected: "'\"<ip>\"' or one field" });
    f.count(1, 3);
    const out: QiReadHeader = { length: f.int(0, 'read_actual_length', 0, 1500) };
    if (f.length > 1) {
      f.count(3);
      out.remoteIp = f.str(1, 'remoteIP');
      out.remotePort = f.int(2, 'remote_port', 0, 65535);
    }
    return out;
  },
  format: (v) => line('+QIRD', v.remoteIp === undefined ? [n(v.length)] : [n(v.length), q(v.remoteIp), n(v.remotePort ?? 0)]),
};

/** `+QIRD: <total_receive_length>,<have_read_length>,<unread_length>`. */
export interface QiReadCounters {
  total: number;
  read: number;
  unread: number;
}

/** `+QIRD: 5,5,0` ⇄ `QiReadCounters`. */
export const QIRD_COUNTERS: ResponseCodec<QiReadCounters> = {
  prefix: '+QIRD',
  parse(text) {
    const f = Fields.ofLine(text, '+QIRD').count(3);
    return { total: f.int(0, 'total_receive_length', 0), read: f.int(1, 'have_read_length', 0), unread: f.int(2, 'unread_length', 0) };
  },
  format: (v) => line('+QIRD', [n(v.total), n(v.read), n(v.unread)]),
};

/** `AT+QICLOSE=<connectID>[,<timeout>]`. */
export interface QiClose {
  connectId: number;
  timeout?: number;
}

/** `AT+QICLOSE=0[,<timeout>]` ⇄ `QiClose`. */
export const QICLOSE_SET: CommandCodec<QiClose> = {
  name: '+QICLOSE',
  parse(cmd) {
    const f = Fields.ofCommand(cmd, '+QICLOSE').count(1, 2);
    const out: QiClose = { connectId: f.int(0, 'connectID', 0, 11) };
    const timeout = f.optInt(1, 'timeout', 0, 65535);
    if (timeout !== undefined) out.timeout = timeout;
    return out;
  },
  format: (v) => ({ syntax: 'extended', name: '+QICLOSE', form: 'set', args: trimEmpty([n(v.connectId), on(v.timeout)]) }),
};

/** One socket of `AT+QISTATE`; `state` 0 initial, 1 opening, 2 connected, 3 listening, 4 closing. */
export interface QiState {
  connectId: number;
  service: string;
  address: string;
  remotePort: number;
  localPort: number;
  state: number;
  contextId: number;
  serverId: number;
  accessMode: number;
  atPort: string;
}

/** `+QISTATE: 0,"TCP",…` ⇄ `QiState`. */
export const QISTATE: ResponseCodec<QiState> = {
  prefix: '+QISTATE',
  parse(text) {
    const f = Fields.ofLine(text, '+QISTATE').count(10);
    return {
      connectId: f.int(0, 'connectID', 0, 11),
      service: f.str(1, 'service_type'),
      address: f.str(2, 'IP_address'),
      remotePort: f.int(3, 'remote_port', 0, 65535),
      localPort: f.int(4, 'local_port', 0, 65535),
      state: f.int(5, 'socket_state', 0, 4),
      contextId: f.int(6, 'contextID', 1, 16),
      serverId: f.int(7, 'serverID', 0),
      accessMode: f.int(8, 'access_mode', 0, 2),
      atPort: f.str(9, 'AT_port'),
    };
  },
  format: (v) =>
    line('+QISTATE', [n(v.connectId), q(v.service), q(v.address), n(v.remotePort), n(v.localPort), n(v.state), n(v.contextId), n(v.serverId), n(v.accessMode), q(v.atPort)]),
};

/** A `+QIURC` event. Events this codec does not model keep their name and fields in `other`. */
export type QiUrc =
  | { event: 'closed'; connectId: number }
  | { event: 'recv'; connectId: number; length?: number }
  | { event: 'pdpdeact'; contextId: number }
  | { event: 'incoming full' }
  | { event: 'incoming'; connectId: number; serverId: number; remoteIp: string; remotePort: number }
  | { event: 'other'; name: string; args: AtArg[] };

/** `+QIURC: "closed",0` ⇄ `QiUrc`. */
export const QIURC: ResponseCodec<QiUrc> = {
  prefix: '+QIURC',
  parse(text) {
    const f = Fields.ofLine(text, '+QIURC').count(1, Infinity);
    const name = f.str(0, 'event');
    switch (name) {
      case 'closed':
        return { event: 'closed', connectId: f.count(2).int(1, 'connectID', 0, 11) };
      case 'recv': {
        f.count(2, 5);
        const length = f.optInt(2, 'length', 0);
        return length === undefined ? { event: 'recv', connectId: f.int(1, 'connectID', 0, 11) } : { event: 'recv', connectId: f.int(1, 'connectID', 0, 11), length };
      }
      case 'pdpdeact':
        return { event: 'pdpdeact', contextId: f.count(2).int(1, 'contextID', 1, 16) };
      case 'incoming full':
        f.count(1);
        return { event: 'incoming full' };
      case 'incoming':
        f.count(5);
        return { event: 'incoming', connectId: f.int(1, 'connectID', 0, 11), serverId: f.int(2, 'serverID', 0), remoteIp: f.str(3, 'remoteIP'), remotePort: f.int(4, 'remote_port', 0, 65535) };
      default:
        return { event: 'other', name, args: f.rest(1) };
    }
  },
  format(v) {
    switch (v.event) {
      case 'closed':
        return line('+QIURC', [q('closed'), n(v.connectId)]);
      case 'recv':
        return line('+QIURC', v.length === undefined ? [q('recv'), n(v.connectId)] : [q('recv'), n(v.connectId), n(v.length)]);
      case 'pdpdeact':
        return line('+QIURC', [q('pdpdeact'), n(v.contextId)]);
      case 'incoming full':
        return line('+QIURC', [q('incoming full')]);
      case 'incoming':
        return line('+QIURC', [q('incoming'), n(v.connectId), n(v.serverId), q(v.remoteIp), n(v.remotePort)]);
      case 'other':
        return line('+QIURC', [q(v.name), ...v.args]);
    }
  },
};
