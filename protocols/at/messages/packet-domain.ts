/**
 * Packet domain, 3GPP TS 27.007 §10.1:
 *
 * ```
 *   +CGATT: <state>                                              (AT+CGATT?)
 *   +CGDCONT: <cid>,<PDP_type>,<APN>,<PDP_addr>,<d_comp>,<h_comp>[,…]   (AT+CGDCONT?, one line per context)
 *   AT+CGDCONT=<cid>[,<PDP_type>[,<APN>[,<PDP_addr>[,<d_comp>[,<h_comp>]]]]]
 *   +CGPADDR: <cid>[,<PDP_addr_1>[,<PDP_addr_2>]]                 (AT+CGPADDR[=<cid>])
 * ```
 */
import type { AtArg } from '../args.ts';
import type { ExtendedCommand } from '../command-line.ts';
import { Fields, line, n, on, oq, q, trimEmpty, type CommandCodec, type ResponseCodec } from './codec.ts';

/** `+CGATT: 1` ⇄ `true` (attached to the packet domain). */
export const CGATT: ResponseCodec<boolean> = {
  prefix: '+CGATT',
  parse(text) {
    return Fields.ofLine(text, '+CGATT').count(1).int(0, 'state', 0, 1) === 1;
  },
  format(attached) {
    return line('+CGATT', [n(attached ? 1 : 0)]);
  },
};

/** One PDP context definition. */
export interface PdpContext {
  cid: number;
  /** `IP`, `IPV6`, `IPV4V6`, `PPP`. */
  pdpType?: string;
  apn?: string;
  address?: string;
  dataCompression?: number;
  headerCompression?: number;
  /** Further fields (IPv4 address allocation, request type, …), kept as they came. */
  extra?: AtArg[];
}

function contextArgs(c: PdpContext): AtArg[] {
  return trimEmpty([n(c.cid), oq(c.pdpType), oq(c.apn), oq(c.address), on(c.dataCompression), on(c.headerCompression), ...(c.extra ?? [])]);
}

function readContext(f: Fields): PdpContext {
  const out: PdpContext = { cid: f.int(0, 'cid', 0, 255) };
  const type = f.optStr(1, 'PDP_type');
  if (type !== undefined) out.pdpType = type;
  const apn = f.optStr(2, 'APN');
  if (apn !== undefined) out.apn = apn;
  const address = f.optStr(3, 'PDP_addr');
  if (address !== undefined) out.address = address;
  const d = f.optInt(4, 'd_comp', 0, 255);
  if (d !== undefined) out.dataCompression = d;
  const h = f.optInt(5, 'h_comp', 0, 255);
  if (h !== undefined) out.headerCompression = h;
  if (f.length > 6) out.extra = f.rest(6);
  return out;
}

/** `+CGDCONT: 1,"IP","internet","0.0.0.0",0,0` ⇄ a `PdpContext`. */
export const CGDCONT: ResponseCodec<PdpContext> = {
  prefix: '+CGDCONT',
  parse(text) {
    return readContext(Fields.ofLine(text, '+CGDCONT').count(1, Infinity));
  },
  format(c) {
    return line('+CGDCONT', contextArgs(c));
  },
};

/** `AT+CGDCONT=1,"IP","internet"` ⇄ a `PdpContext`. */
export const CGDCONT_SET: CommandCodec<PdpContext> = {
  name: '+CGDCONT',
  parse(cmd: ExtendedCommand) {
    return readContext(Fields.ofCommand(cmd, '+CGDCONT').count(1, Infinity));
  },
  format(c) {
    return { syntax: 'extended', name: '+CGDCONT', form: 'set', args: contextArgs(c) };
  },
};

/** The addresses of one context. */
export interface PdpAddress {
  cid: number;
  addresses: string[];
}

/** `+CGPADDR: 1,"10.7.116.155"` ⇄ `{ cid: 1, addresses: ['10.7.116.155'] }`. */
export const CGPADDR: ResponseCodec<PdpAddress> = {
  prefix: '+CGPADDR',
  parse(text) {
    const f = Fields.ofLine(text, '+CGPADDR').count(1, 3);
    const addresses: string[] = [];
    for (let i = 1; i < f.length; i++) if (!f.absent(i)) addresses.push(f.str(i, `PDP_addr_${i}`));
    return { cid: f.int(0, 'cid', 0, 255), addresses };
  },
  format(v) {
    return line('+CGPADDR', [n(v.cid), ...v.addresses.map(q)]);
  },
};
