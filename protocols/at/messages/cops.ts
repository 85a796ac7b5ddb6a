/**
 * Operator selection, 3GPP TS 27.007 §7.3:
 *
 * ```
 *   AT+COPS?    +COPS: <mode>[,<format>,<oper>[,<AcT>]]
 *   AT+COPS=?   +COPS: (<stat>,"<long>","<short>","<numeric>"[,<AcT>]),…,,(<modes>),(<formats>)
 * ```
 * mode 0 automatic, 1 manual, 2 deregister, 3 set format only, 4 manual then automatic;
 * format 0 long alphanumeric, 1 short alphanumeric, 2 numeric (MCC+MNC).
 */
import { formatArgs, parseArgs, type AtArg } from '../args.ts';
import { AtError } from '../errors.ts';
import { Fields, line, n, on, oq, trimEmpty, type ResponseCodec } from './codec.ts';

/** The answer to `AT+COPS?`. */
export interface OperatorSelection {
  mode: number;
  format?: number;
  oper?: string;
  act?: number;
}

/** `+COPS: 0,0,"Turkcell",7` ⇄ `{ mode: 0, format: 0, oper: 'Turkcell', act: 7 }`. */
export const COPS: ResponseCodec<OperatorSelection> = {
  prefix: '+COPS',
  parse(text) {
    const f = Fields.ofLine(text, '+COPS').count(1, 4);
    const out: OperatorSelection = { mode: f.int(0, 'mode', 0, 4) };
    const format = f.optInt(1, 'format', 0, 2);
    if (format !== undefined) out.format = format;
    const oper = f.optStr(2, 'oper');
    if (oper !== undefined) out.oper = oper;
    const act = f.optInt(3, 'AcT', 0, 15);
    if (act !== undefined) out.act = act;
    return out;
  },
  format(v) {
    return line('+COPS', trimEmpty([n(v.mode), on(v.format), oq(v.oper), on(v.act)]));
  },
};

/** One network of the `AT+COPS=?` list. stat: 0 unknown, 1 available, 2 current, 3 forbidden. */
export interface OperatorEntry {
  stat: number;
  long: string;
  short: string;
  numeric: string;
  act?: number;
}

/** The answer to `AT+COPS=?`: the networks, then the supported modes and formats as written. */
export interface OperatorList {
  operators: OperatorEntry[];
  modes?: string;
  formats?: string;
}

/** `+COPS: (2,"A","A","28601",7),(1,"B","B","28602",0),,(0-4),(0-2)` ⇄ an `OperatorList`. */
export const COPS_LIST: ResponseCodec<OperatorList> = {
  prefix: '+COPS',
  parse(text) {
    const f = Fields.ofLine(text, '+COPS');
    const operators: OperatorEntry[] = [];
    let i = 0;
    for (; i < f.length; i++) {
      const a = f.args[i]!;
      if (a.kind !== 'list') break;
      const inner = new Fields(parseArgs(a.text.slice(1, -1), 'response', f.offsetOf(i) + 1), '+COPS operator');
      inner.count(4, 5);
      const entry: OperatorEntry = { stat: inner.int(0, 'stat', 0, 3), long: inner.str(1, 'long'), short: inner.str(2, 'short'), numeric: inner.str(3, 'numeric') };
      const act = inner.optInt(4, 'AcT', 0, 15);
      if (act !== undefined) entry.act = act;
      operators.push(entry);
    }
    const out: OperatorList = { operators };
    const tail = f.args.slice(i).filter((a) => a.kind !== 'empty');
    if (tail.some((a) => a.kind !== 'list')) throw new AtError('shape', '+COPS list: a value that is not a parenthesised list', { offset: f.offsetOf(i), expected: '(…)' });
    if (tail[0]?.kind === 'list') out.modes = tail[0].text;
    if (tail[1]?.kind === 'list') out.formats = tail[1].text;
    return out;
  },
  format(v) {
    const items: AtArg[] = v.operators.map((o) => {
      const inner = trimEmpty([n(o.stat), oq(o.long), oq(o.short), oq(o.numeric), on(o.act)]);
      return { kind: 'list', text: `(${formatArgs(inner)})` };
    });
    if (v.modes !== undefined || v.formats !== undefined) items.push({ kind: 'empty' });
    if (v.modes !== undefined) items.push({ kind: 'list', text: v.modes });
    if (v.formats !== undefined) items.push({ kind: 'list', text: v.formats });
    return line('+COPS', items);
  },
};
