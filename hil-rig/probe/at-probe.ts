/**
 * Asks a cellular module who it is: `ATI` CR, answered by information lines and `OK` (V.250).
 * The information lines (echo dropped) are the identification; the reaction time runs from the
 * CR sent to the first byte back (the echo, when the module echoes).
 */
import type { Clock } from '../../core/clock/index.ts';
import { ascii, fromAscii } from '../../core/bytes.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { exchange } from './exchange.ts';

export interface AtProbeResult {
  answered: boolean;
  /** The information lines, joined by ` | `. */
  text?: string;
  reactionMs?: number;
  problem?: string;
}

/** Length of the answer up to its final result line (verbose or numeric); 0 while incomplete. */
function finalLine(b: Uint8Array): number {
  const t = fromAscii(b);
  const m = /(?:^|\n)(OK|ERROR|\+CME ERROR:[^\r\n]*)\r\n/.exec(t) ?? /(?:^|\n)([04])\r/.exec(t);
  return m ? m.index + m[0].length : 0;
}

/** Sends `ATI` and reads the answer; never throws for what the module does. */
export async function probeAtModule(endpoint: Endpoint, clock: Clock, o: { timeoutMs?: number } = {}): Promise<AtProbeResult> {
  const timeoutMs = o.timeoutMs ?? 1000;
  const r = await exchange(endpoint, clock, ascii('ATI\r'), { frame: finalLine, timeoutMs, interCharMs: timeoutMs, label: `${endpoint.id}: ATI` });
  const first = r.timeOf(0);
  const rt = first !== undefined ? { reactionMs: Math.max(0, first - r.sentAt) } : {};
  if (!r.bytes) {
    const got = r.partial ?? new Uint8Array();
    return got.length === 0 ? { answered: false, problem: `no answer within ${timeoutMs} ms` } : { answered: true, ...rt, problem: `no final result in ${got.length} bytes` };
  }
  const lines = fromAscii(r.bytes).split(/\r\n|\r|\n/).map((l) => l.trim()).filter((l) => l !== '' && !/^ATI$/i.test(l));
  const final = lines.pop() ?? '';
  const text = lines.join(' | ');
  if (final !== 'OK' && final !== '0') return { answered: true, text, ...rt, problem: `ATI answered ${final}` };
  return { answered: true, text, ...rt };
}
