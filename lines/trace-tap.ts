import { toHex } from '../core/bytes.ts';
import type { TraceRecord } from '../core/trace/index.ts';
import { formatSettings } from './settings.ts';
import type { LineEvent, LineTap } from './tap.ts';

/** Turns line events into trace records. Key order is fixed so identical runs give identical files. */
export function traceRecordOf(e: LineEvent): TraceRecord {
  switch (e.kind) {
    case 'tx': {
      const r: TraceRecord = { kind: 'tx', t: e.start, end: e.end, line: e.line, from: e.from, hex: toHex(e.bytes, ''), settings: formatSettings(e.settings) };
      if (e.echo) r.flags = ['echo'];
      return r;
    }
    case 'rx': {
      const flags = [...(e.errors ?? []).map((x) => `${x.kind}@${x.index}`), ...(e.collision ? ['collision'] : []), ...(e.mismatch ? ['mismatch'] : [])];
      const r: TraceRecord = { kind: 'rx', t: e.start, end: e.end, line: e.line, to: e.to, hex: toHex(e.bytes, ''), settings: formatSettings(e.settings) };
      if (e.more) r.more = e.more;
      if (flags.length) r.flags = flags;
      if (e.mismatch) r.sent = formatSettings(e.mismatch);
      return r;
    }
    case 'note':
      return { kind: 'note', t: e.time, line: e.line, from: e.from, text: e.text };
  }
}

/** A tap that feeds a recorder (anything with `add(record)`). */
export function traceTap(recorder: { add(r: TraceRecord): void }): LineTap {
  return (e) => recorder.add(traceRecordOf(e));
}
