/**
 * SIMCom SIM800 sockets (SIM800 Series AT Command Manual V1.09 §8.2). `multi` is the
 * `AT+CIPMUX` setting: with multi-IP the link number `<n>` (0..5) comes first.
 *
 * ```
 *   AT+CIPSTART="TCP","116.228.221.51","8500"  OK … CONNECT OK | ALREADY CONNECT | STATE: …/CONNECT FAIL
 *   AT+CIPSTART=0,"TCP","host",8500            OK … 0, CONNECT OK
 *   AT+CIPSEND[=<len>] / =<n>[,<len>]          > …data… (Ctrl-Z, or <len> bytes)  SEND OK | DATA ACCEPT:<len>
 *   AT+CIPCLOSE[=<quick>] / =<n>[,<quick>]     CLOSE OK | <n>, CLOSE OK
 *   AT+CIPRXGET=<mode>[,<n>][,<len>]           +CIPRXGET: 2,[<n>,]<len>,<left><CR><LF><data>  OK
 *   +CIPSEND: [<n>,]<size>                     (AT+CIPSEND?: the most one send can carry)
 *   [<n>, ]CONNECT OK / CONNECT FAIL / ALREADY CONNECT / CLOSED / REMOTE IP: <ip>   (socket events)
 * ```
 */
import type { AtArg } from '../args.ts';
import type { ExtendedCommand } from '../command-line.ts';
import { AtError } from '../errors.ts';
import { Fields, line, n, q, type CommandCodec, type ResponseCodec } from './codec.ts';

/** `AT+CIPSTART`: open a TCP or UDP connection. */
export interface CipStart {
  link?: number;
  protocol: 'TCP' | 'UDP';
  host: string;
  port: number;
}

function port(f: Fields, i: number): number {
  const a = f.args[i];
  const value = a?.kind === 'number' ? a.value : a?.kind === 'string' && /^\d{1,5}$/.test(a.value) ? Number(a.value) : NaN;
  if (!(value >= 0 && value <= 65535)) throw new AtError('value', `${f.what}: <port> is not 0..65535`, { offset: f.offsetOf(i), expected: 'a port number, quoted or not' });
  return value;
}

/** `AT+CIPSTART="TCP","host","8500"` or `AT+CIPSTART=0,"TCP","host",8500` ⇄ `CipStart` (the port is written unquoted). */
export const CIPSTART: CommandCodec<CipStart> = {
  name: '+CIPSTART',
  parse(cmd: ExtendedCommand) {
    const f = Fields.ofCommand(cmd, '+CIPSTART').count(3, 4);
    const multi = f.length === 4;
    const k = multi ? 1 : 0;
    const out: CipStart = { protocol: f.oneOf(k, 'mode', ['TCP', 'UDP'] as const), host: f.str(k + 1, 'address'), port: port(f, k + 2) };
    if (multi) out.link = f.int(0, 'n', 0, 7);
    return out;
  },
  format(v) {
    const args: AtArg[] = [q(v.protocol), q(v.host), n(v.port)];
    return { syntax: 'extended', name: '+CIPSTART', form: 'set', args: v.link === undefined ? args : [n(v.link), ...args] };
  },
};

/** `AT+CIPSEND`: `length` undefined means "until Ctrl-Z". */
export interface CipSend {
  link?: number;
  length?: number;
}

/** `AT+CIPSEND[=…]` ⇄ `CipSend`; the execute form (no arguments) is single-connection Ctrl-Z mode. */
export function cipSend(multi: boolean): CommandCodec<CipSend> {
  return {
    name: '+CIPSEND',
    parse(cmd) {
      if (cmd.name === '+CIPSEND' && cmd.form === 'execute' && !multi) return {};
      const f = Fields.ofCommand(cmd, '+CIPSEND').count(multi ? 1 : 1, multi ? 2 : 1);
      if (!multi) return { length: f.int(0, 'length', 1, 1460) };
      const out: CipSend = { link: f.int(0, 'n', 0, 7) };
      const length = f.optInt(1, 'length', 1, 1460);
      if (length !== undefined) out.length = length;
      return out;
    },
    format(v) {
      if (multi && v.link === undefined) throw new AtError('encode', '+CIPSEND: multi-IP needs a link number');
      const args: AtArg[] = [];
      if (multi) args.push(n(v.link!));
      if (v.length !== undefined) args.push(n(v.length));
      return args.length === 0 ? { syntax: 'extended', name: '+CIPSEND', form: 'execute', args } : { syntax: 'extended', name: '+CIPSEND', form: 'set', args };
    },
  };
}

/** `+CIPSEND: [<n>,]<size>` (answer to `AT+CIPSEND?`). */
export interface CipSendSize {
  link?: number;
  size: number;
}

/** `+CIPSEND: 1460` / `+CIPSEND: 0,1460` ⇄ `CipSendSize`. */
export const CIPSEND_SIZE: ResponseCodec<CipSendSize> = {
  prefix: '+CIPSEND',
  parse(text) {
    const f = Fields.ofLine(text, '+CIPSEND').count(1, 2);
    return f.length === 1 ? { size: f.int(0, 'size', 0) } : { link: f.int(0, 'n', 0, 7), size: f.int(1, 'size', 0) };
  },
  format: (v) => line('+CIPSEND', v.link === undefined ? [n(v.size)] : [n(v.link), n(v.size)]),
};

/** `AT+CIPCLOSE`: `quick` 1 closes at once, 0 (default) waits for the peer. */
export interface CipClose {
  link?: number;
  quick?: number;
}

/** `AT+CIPCLOSE[=<quick>]` or `AT+CIPCLOSE=<n>[,<quick>]` ⇄ `CipClose`. */
export function cipClose(multi: boolean): CommandCodec<CipClose> {
  return {
    name: '+CIPCLOSE',
    parse(cmd) {
      if (cmd.name === '+CIPCLOSE' && cmd.form === 'execute' && !multi) return {};
      const f = Fields.ofCommand(cmd, '+CIPCLOSE').count(1, multi ? 2 : 1);
      if (!multi) return { quick: f.int(0, 'n', 0, 1) };
      const out: CipClose = { link: f.int(0, 'id', 0, 7) };
      const quick = f.optInt(1, 'n', 0, 1);
      if (quick !== undefined) out.quick = quick;
      return out;
    },
    format(v) {
      const args: AtArg[] = [];
      if (multi) {
        if (v.link === undefined) throw new AtError('encode', '+CIPCLOSE: multi-IP needs a link number');
        args.push(n(v.link));
      }
      if (v.quick !== undefined) args.push(n(v.quick));
      return args.length === 0 ? { syntax: 'extended', name: '+CIPCLOSE', form: 'execute', args } : { syntax: 'extended', name: '+CIPCLOSE', form: 'set', args };
    },
  };
}

/** `AT+CIPRXGET`: mode 1 enables manual receive, 2 reads bytes, 3 reads hex, 4 asks how much is left. */
export interface CipRxGetRequest {
  mode: number;
  link?: number;
  length?: number;
}

/** `AT+CIPRXGET=2,1460` or `AT+CIPRXGET=2,0,1460` ⇄ `CipRxGetRequest`. */
export function cipRxGet(multi: boolean): CommandCodec<CipRxGetRequest> {
  return {
    name: '+CIPRXGET',
    parse(cmd) {
      const f = Fields.ofCommand(cmd, '+CIPRXGET').count(1, multi ? 3 : 2);
      const out: CipRxGetRequest = { mode: f.int(0, 'mode', 0, 4) };
      const k = multi && out.mode >= 2 ? 2 : 1;
      if (multi && out.mode >= 2) out.link = f.int(1, 'id', 0, 7);
      const length = f.optInt(k, 'reqlength', 1, 1460);
      if (length !== undefined) out.length = length;
      return out;
    },
    format(v) {
      const args: AtArg[] = [n(v.mode)];
      if (v.link !== undefined) args.push(n(v.link));
      if (v.length !== undefined) args.push(n(v.length));
      return { syntax: 'extended', name: '+CIPRXGET', form: 'set', args };
    },
  };
}

/**
 * A `+CIPRXGET:` line: `{ mode: 1, link? }` data arrived (URC); `{ mode: 2|3, link?, length,
 * remaining, remote? }` a read header (bytes follow); `{ mode: 4, link?, length }` bytes
 * waiting; `{ mode }` the answer to `AT+CIPRXGET?`.
 */
export interface CipRxGet {
  mode: number;
  link?: number;
  length?: number;
  remaining?: number;
  remote?: string;
}

/** `+CIPRXGET: …` ⇄ `CipRxGet`; `multi` says whether a link number is present. */
export function cipRxGetLine(multi: boolean): ResponseCodec<CipRxGet> {
  return {
    prefix: '+CIPRXGET',
    parse(text) {
      const f = Fields.ofLine(text, '+CIPRXGET').count(1, 5);
      const mode = f.int(0, 'mode', 0, 4);
      const out: CipRxGet = { mode };
      let k = 1;
      if (multi && f.length > 1) out.link = f.int(k++, 'id', 0, 7);
      if (mode === 2 || mode === 3) {
        out.length = f.int(k, 'reqlength', 0);
        out.remaining = f.int(k + 1, 'cnflength', 0);
        if (!f.absent(k + 2)) out.remote = f.str(k + 2, 'IP ADDRESS:PORT');
        f.count(k + 2, k + 3);
      } else if (mode === 4) {
        out.length = f.int(k, 'cnflength', 0);
        f.count(k + 1);
      } else f.count(k);
      return out;
    },
    format(v) {
      const args: AtArg[] = [n(v.mode)];
      if (v.link !== undefined) args.push(n(v.link));
      if (v.length !== undefined) args.push(n(v.length));
      if (v.remaining !== undefined) args.push(n(v.remaining));
      if (v.remote !== undefined) args.push(q(v.remote));
      return line('+CIPRXGET', args);
    },
  };
}

/** A SIMCom socket event line. */
export interface SimcomSocketEvent {
  link?: number;
  event: 'connect-ok' | 'connect-fail' | 'already-connect' | 'closed' | 'remote-ip';
  address?: string;
}

const EVENT_TEXT = { 'connect-ok': 'CONNECT OK', 'connect-fail': 'CONNECT FAIL', 'already-connect': 'ALREADY CONNECT', closed: 'CLOSED', 'remote-ip': 'REMOTE IP' } as const;
const EVENT_RE = /^(?:(\d+), ?)?(CONNECT OK|CONNECT FAIL|ALREADY CONNECT|CLOSED|REMOTE IP: (\S+))$/;

/** `0, CONNECT OK` ⇄ `{ link: 0, event: 'connect-ok' }`; written with `<n>, ` as modules do. */
export const SIMCOM_SOCKET_EVENT: ResponseCodec<SimcomSocketEvent> = {
  prefix: '',
  parse(text) {
    const m = EVENT_RE.exec(text);
    if (!m) throw new AtError('shape', `not a socket event: ${JSON.stringify(text.slice(0, 40))}`, { offset: 0, expected: '[<n>, ]CONNECT OK | CONNECT FAIL | ALREADY CONNECT | CLOSED | REMOTE IP: <ip>' });
    const word = m[2]!.startsWith('REMOTE IP') ? 'remote-ip' : (Object.entries(EVENT_TEXT).find(([, t]) => t === m[2])![0] as SimcomSocketEvent['event']);
    const out: SimcomSocketEvent = { event: word };
    if (m[1] !== undefined) out.link = Number(m[1]);
    if (m[3] !== undefined) out.address = m[3];
    return out;
  },
  format(v) {
    const body = v.event === 'remote-ip' ? `REMOTE IP: ${v.address ?? ''}` : EVENT_TEXT[v.event];
    return v.link === undefined ? body : `${v.link}, ${body}`;
  },
};

/** `+RECEIVE,<n>,<len>:` (multi-IP push) and `+IPD,<len>:` (AT+CIPHEAD=1) headers. */
export interface ReceiveHeader {
  link?: number;
  length: number;
}

/** `+RECEIVE,0,5:` / `+IPD,5:` ⇄ `ReceiveHeader` (`link` absent for `+IPD`). */
export const RECEIVE_HEADER: ResponseCodec<ReceiveHeader> = {
  prefix: '+RECEIVE',
  parse(text) {
    const m = /^\+RECEIVE,(\d+),(\d+):$/.exec(text) ?? /^\+IPD,()(\d+):$/.exec(text);
    if (!m) throw new AtError('shape', `not a receive header: ${JSON.stringify(text.slice(0, 40))}`, { offset: 0, expected: "'+RECEIVE,<n>,<len>:' or '+IPD,<len>:'" });
    return m[1] === '' ? { length: Number(m[2]) } : { link: Number(m[1]), length: Number(m[2]) };
  },
  format: (v) => (v.link === undefined ? `+IPD,${v.length}:` : `+RECEIVE,${v.link},${v.length}:`),
};
