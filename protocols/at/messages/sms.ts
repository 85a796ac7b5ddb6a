/**
 * SMS answers and indications, 3GPP TS 27.005 §3.4–§3.5:
 *
 * ```
 *   AT+CMGS="+905551234567"<CR>  →  <CR><LF>> text… Ctrl-Z  →  +CMGS: <mr>[,<scts>]  OK
 *   +CMTI: <mem>,<index>         (URC: a message was stored)
 * ```
 */
import type { ExtendedCommand } from '../command-line.ts';
import { Fields, line, n, on, q, trimEmpty, type CommandCodec, type ResponseCodec } from './codec.ts';

/** The answer to a sent message: its reference (0..255) and, when reported, the service centre time stamp. */
export interface MessageSent {
  mr: number;
  scts?: string;
}

/** `+CMGS: 12` ⇄ `{ mr: 12 }`. */
export const CMGS: ResponseCodec<MessageSent> = {
  prefix: '+CMGS',
  parse(text) {
    const f = Fields.ofLine(text, '+CMGS').count(1, 2);
    const out: MessageSent = { mr: f.int(0, 'mr', 0, 255) };
    const scts = f.optStr(1, 'scts');
    if (scts !== undefined) out.scts = scts;
    return out;
  },
  format(v) {
    return line('+CMGS', v.scts === undefined ? [n(v.mr)] : [n(v.mr), q(v.scts)]);
  },
};

/** The destination of a text-mode message (`AT+CMGS="<da>"[,<toda>]`). */
export interface SendMessage {
  address: string;
  /** Type of address: 145 international, 129 national. */
  toda?: number;
}

/** `AT+CMGS="+905551234567",145` ⇄ `{ address, toda }` (text mode). */
export const CMGS_SET: CommandCodec<SendMessage> = {
  name: '+CMGS',
  parse(cmd: ExtendedCommand) {
    const f = Fields.ofCommand(cmd, '+CMGS').count(1, 2);
    const out: SendMessage = { address: f.str(0, 'da') };
    const toda = f.optInt(1, 'toda', 0, 255);
    if (toda !== undefined) out.toda = toda;
    return out;
  },
  format(v) {
    return { syntax: 'extended', name: '+CMGS', form: 'set', args: trimEmpty([q(v.address), on(v.toda)]) };
  },
};

/** A stored-message indication. */
export interface MessageIndication {
  mem: string;
  index: number;
}

/** `+CMTI: "SM",3` ⇄ `{ mem: 'SM', index: 3 }`. */
export const CMTI: ResponseCodec<MessageIndication> = {
  prefix: '+CMTI',
  parse(text) {
    const f = Fields.ofLine(text, '+CMTI').count(2);
    return { mem: f.str(0, 'mem'), index: f.int(1, 'index', 0) };
  },
  format(v) {
    return line('+CMTI', [q(v.mem), n(v.index)]);
  },
};
