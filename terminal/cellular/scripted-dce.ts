/**
 * A tiny scripted module for this folder's tests: answers each command line from a table, takes
 * `> ` prompt data by count, and can send URCs at any time. Not part of the public API.
 */
import { ascii, fromAscii } from '../../core/bytes.ts';
import { VirtualClock } from '../../core/clock/index.ts';
import { frameInformation, frameResult, frameUrc, type FinalResult } from '../../protocols/at/index.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';

/** What the script answers to a line: raw text, or a prompt that takes `n` bytes and then answers. */
export type Script = (line: string) => string | { prompt: number; then: (data: string) => string } | undefined;

/** A wire with a scripted module on end `b`; `lines` records what it received. */
export function scriptedDce(script: Script, o: { echo?: boolean } = {}) {
  const clock = new VirtualClock();
  const settings = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 } as const;
  const wire = new VirtualWire(clock, 'gsm', { settings, id: 'gsm/terminal' }, { settings, id: 'gsm/dce' });
  const lines: string[] = [];
  let buf = '';
  let want: { n: number; then: (d: string) => string } | undefined;
  const send = (text: string) => void wire.b.write(ascii(text));
  wire.b.onData((c) => {
    buf += fromAscii(c.bytes);
    for (;;) {
      if (want) {
        if (buf.length < want.n) return;
        const data = buf.slice(0, want.n);
        buf = buf.slice(want.n);
        const then = want.then;
        want = undefined;
        send(then(data));
        continue;
      }
      const cr = buf.indexOf('\r');
      if (cr < 0) return;
      const line = buf.slice(0, cr).replace(/^\n/, '');
      buf = buf.slice(cr + 1);
      lines.push(line);
      const echo = o.echo ? `${line}\r` : '';
      const a = script(line);
      if (a === undefined) continue;
      if (typeof a === 'string') send(echo + a);
      else {
        want = { n: a.prompt, then: a.then };
        send(`${echo}\r\n> `);
      }
    }
  });
  return { clock, wire, lines, send };
}

/** `\r\nOK\r\n` and friends, framed by the codec. */
export const ok = fromAscii(frameResult({ kind: 'ok' }));
/** A final result, framed. */
export const result = (r: FinalResult): string => fromAscii(frameResult(r));
/** Information lines, framed. */
export const info = (...lines: string[]): string => fromAscii(frameInformation(lines));
/** A URC, framed. */
export const urc = (text: string): string => fromAscii(frameUrc(text));
