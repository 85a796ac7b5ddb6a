import { isoTime } from '../clock/index.ts';
import { fromHex, toHex, toPrintable } from '../bytes.ts';
import type { TraceRecord } from './record.ts';

export interface PrettyOptions {
  /** Only these lines. */
  lines?: readonly string[];
  /** Decoder for a line's bytes: returns a one-line description, or undefined. */
  describe?: (record: Extract<TraceRecord, { kind: 'tx' | 'rx' }>) => string | undefined;
  /** Show times relative to the header's start (default) or absolute ISO. */
  absolute?: boolean;
  /** Widest hex column before wrapping (bytes). */
  width?: number;
}

/**
 * Human view of a trace, one block per record:
 *
 *   +0.000000  optical  optical/terminal →  300 7E1  2f 3f 21 0d 0a  /?!<CR><LF>
 *   +0.395000  optical  optical/meter ←!   9600 7E1 [framing@2]  ...
 *
 * Direction: `→` sent, `←!` received differently from what was sent (with its flags).
 */
export function prettyTrace(records: readonly TraceRecord[], options: PrettyOptions = {}): string[] {
  const header = records.find((r) => r.kind === 'header');
  const origin = header?.kind === 'header' ? header.start : (records.find((r) => 't' in r) as { t: number } | undefined)?.t ?? 0;
  const width = options.width ?? 32;
  const out: string[] = [];
  const when = (t: number) => (options.absolute ? isoTime(t) : `+${((t - origin) / 1000).toFixed(6)}`);
  for (const r of records) {
    if (r.kind === 'header') {
      out.push(`# trace v${r.version}, ${r.clock} clock from ${isoTime(r.start)}${r.title ? `: ${r.title}` : ''}`);
      continue;
    }
    if ('line' in r && options.lines && !options.lines.includes(r.line)) continue;
    if (r.kind === 'note') {
      out.push(`${when(r.t)}  ${r.line}  ${r.from}  ** ${r.text}`);
      continue;
    }
    if (r.kind === 'event') {
      out.push(`${when(r.t)}  [${r.source}] ${r.name}${r.data ? ' ' + JSON.stringify(r.data) : ''}`);
      continue;
    }
    const bytes = fromHex(r.hex);
    const who = r.kind === 'tx' ? `${r.from} →` : `${r.to}${r.more ? ` (+${r.more} more)` : ''} ←!`;
    const flags = r.flags?.length ? ` [${r.flags.join(' ')}]` : '';
    const sent = r.kind === 'rx' && r.sent ? ` (sent at ${r.sent})` : '';
    const decoded = options.describe?.(r);
    out.push(`${when(r.t)}  ${r.line}  ${who}  ${r.settings}${flags}${sent}  ${bytes.length} bytes${decoded ? `  ${decoded}` : ''}`);
    for (let o = 0; o < bytes.length; o += width) {
      const part = bytes.subarray(o, o + width);
      out.push(`    ${o.toString().padStart(5)}  ${toHex(part).padEnd(width * 3 - 1)}  ${toPrintable(part)}`);
    }
  }
  return out;
}
