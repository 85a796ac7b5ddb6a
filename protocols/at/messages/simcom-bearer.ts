/**
 * SIMCom SIM800 GPRS bearer and connection status (SIM800 Series AT Command Manual V1.09 §8.2):
 *
 * ```
 *   AT+CSTT="CMNET","",""   OK            APN, user, password      (read: +CSTT: "CMNET","","")
 *   AT+CIICR                OK            bring the bearer up
 *   AT+CIFSR                10.78.245.128 local address; no OK follows
 *   AT+CIPSHUT              SHUT OK       close everything, back to IP INITIAL
 *   AT+CIPSTATUS            OK            then, after the OK:
 *                           STATE: IP STATUS
 *                           C: 0,0,"TCP","116.228.221.51","8500","CONNECTED"   (multi-IP, one per link)
 * ```
 */
import type { ExtendedCommand } from '../command-line.ts';
import { AtError } from '../errors.ts';
import { Fields, line, n, on, oq, q, trimEmpty, type CommandCodec, type ResponseCodec } from './codec.ts';

/** APN settings of `AT+CSTT`. */
export interface ApnSettings {
  apn: string;
  user?: string;
  password?: string;
}

function apnArgs(v: ApnSettings) {
  return trimEmpty([q(v.apn), oq(v.user), oq(v.password)]);
}

function readApn(f: Fields): ApnSettings {
  f.count(1, 3);
  const out: ApnSettings = { apn: f.str(0, 'apn') };
  const user = f.optStr(1, 'user');
  if (user !== undefined) out.user = user;
  const password = f.optStr(2, 'password');
  if (password !== undefined) out.password = password;
  return out;
}

/** `AT+CSTT="CMNET","",""` ⇄ `ApnSettings`. */
export const CSTT_SET: CommandCodec<ApnSettings> = {
  name: '+CSTT',
  parse: (cmd: ExtendedCommand) => readApn(Fields.ofCommand(cmd, '+CSTT')),
  format: (v) => ({ syntax: 'extended', name: '+CSTT', form: 'set', args: apnArgs(v) }),
};

/** `+CSTT: "CMNET","",""` ⇄ `ApnSettings`. */
export const CSTT: ResponseCodec<ApnSettings> = {
  prefix: '+CSTT',
  parse: (text) => readApn(Fields.ofLine(text, '+CSTT')),
  format: (v) => line('+CSTT', [q(v.apn), q(v.user ?? ''), q(v.password ?? '')]),
};

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** True for a dotted IPv4 address with every part 0..255. */
export function isIpv4(text: string): boolean {
  const m = IPV4.exec(text);
  return m !== null && m.slice(1).every((p) => Number(p) <= 255);
}

/** The bare address line of `AT+CIFSR`. */
export const CIFSR: ResponseCodec<string> = {
  prefix: '',
  parse(text) {
    if (!isIpv4(text)) throw new AtError('value', `AT+CIFSR address ${JSON.stringify(text.slice(0, 40))}`, { offset: 0, expected: 'a dotted IPv4 address' });
    return text;
  },
  format(address) {
    if (!isIpv4(address)) throw new AtError('encode', `${JSON.stringify(address)} is not a dotted IPv4 address`);
    return address;
  },
};

/** The states `STATE:` reports (single connection and multi-IP). */
export const CIP_STATES = [
  'IP INITIAL',
  'IP START',
  'IP CONFIG',
  'IP GPRSACT',
  'IP STATUS',
  'IP PROCESSING',
  'TCP CONNECTING',
  'UDP CONNECTING',
  'SERVER LISTENING',
  'CONNECT OK',
  'TCP CLOSING',
  'UDP CLOSING',
  'TCP CLOSED',
  'UDP CLOSED',
  'PDP DEACT',
] as const;

/** One of `CIP_STATES`. */
export type CipState = (typeof CIP_STATES)[number];

/** `STATE: IP STATUS` ⇄ `'IP STATUS'`. */
export const CIP_STATE: ResponseCodec<CipState> = {
  prefix: 'STATE',
  parse(text) {
    if (!text.startsWith('STATE: ')) throw new AtError('shape', 'not a STATE line', { offset: 0, expected: "'STATE: '" });
    const s = text.slice(7);
    if (!(CIP_STATES as readonly string[]).includes(s)) throw new AtError('value', `unknown state ${JSON.stringify(s)}`, { offset: 7, expected: CIP_STATES.join(', ') });
    return s as CipState;
  },
  format(s) {
    if (!(CIP_STATES as readonly string[]).includes(s)) throw new AtError('encode', `unknown state ${JSON.stringify(s)}`);
    return `STATE: ${s}`;
  },
};

/** One `C:` line of multi-IP `AT+CIPSTATUS`. */
export interface CipConnection {
  link: number;
  bearer?: number;
  protocol?: string;
  address?: string;
  port?: string;
  /** INITIAL, CONNECTING, CONNECTED, REMOTE CLOSING, CLOSING, CLOSED. */
  state: string;
}

/** `C: 0,0,"TCP","116.228.221.51","8500","CONNECTED"` ⇄ a `CipConnection`. */
export const CIP_CONNECTION: ResponseCodec<CipConnection> = {
  prefix: 'C',
  parse(text) {
    const f = Fields.ofLine(text, 'C').count(6);
    const out: CipConnection = { link: f.int(0, 'n', 0, 7), state: f.str(5, 'client state') };
    const bearer = f.optInt(1, 'bearer', 0, 1);
    if (bearer !== undefined) out.bearer = bearer;
    const protocol = f.optStr(2, 'TCP/UDP');
    if (protocol) out.protocol = protocol;
    const address = f.optStr(3, 'IP address');
    if (address) out.address = address;
    const port = f.optStr(4, 'port');
    if (port) out.port = port;
    return out;
  },
  format(c) {
    return line('C', [n(c.link), on(c.bearer), q(c.protocol ?? ''), q(c.address ?? ''), q(c.port ?? ''), q(c.state)]);
  },
};
