import { describe, expect, it } from 'vitest';
import { ascii, concatBytes, fromAscii } from '../../core/bytes.ts';
import { LineFramer, type LineEvent } from './framer.ts';

const lines = (events: LineEvent[]) => events.map((e) => (e.kind === 'line' ? `${e.offset}:${fromAscii(e.bytes)}` : `error ${e.error.reason} @${e.error.offset}`));

describe('line framer', () => {
  it('cuts lines at LF, drops the CR, skips empty lines, keeps stream offsets', () => {
    const f = new LineFramer();
    const stream = ascii('>1 IDENTIFY*0972\r\n\r\n\n>2 READ-NET*1BA4\n>3 STA');
    expect(lines(f.push(stream))).toEqual(['0:>1 IDENTIFY*0972', '21:>2 READ-NET*1BA4']);
    expect(f.pending).toBe(6);
    expect(lines(f.push(ascii('TUS*XXXX\r\n')))).toEqual(['38:>3 STATUS*XXXX']);
    expect(f.pending).toBe(0);
  });

  it('gives the same lines however the stream is split', () => {
    const stream = ascii('>1 IDENTIFY*0972\r\n>2 READ-NET*1BA4\r\n<5 OK RESTART in=500*6C68\r\n');
    const whole = lines(new LineFramer().push(stream));
    for (let cut = 1; cut < stream.length; cut++) {
      const f = new LineFramer();
      expect([...lines(f.push(stream.subarray(0, cut))), ...lines(f.push(stream.subarray(cut)))]).toEqual(whole);
    }
    const f = new LineFramer();
    const byByte = [...stream].flatMap((b) => lines(f.push(Uint8Array.of(b))));
    expect(byByte).toEqual(whole);
  });

  it('reports a line without LF once, skips to the next LF and goes on', () => {
    const f = new LineFramer(16);
    const out = f.push(concatBytes([ascii('x'.repeat(40)), ascii('\n>1 IDENTIFY\r\n')]));
    expect(lines(out)).toEqual(['error too-long @0', '41:>1 IDENTIFY']);
    const first = out[0]!;
    expect(first.kind === 'error' && first.error.detail).toBe('line at offset 0 has no LF within 16 bytes; skipped up to the next LF');
    expect(f.pending).toBe(0);
  });

  it('forgets a partial line on reset', () => {
    const f = new LineFramer();
    f.push(ascii('>1 IDEN'));
    f.reset();
    expect(lines(f.push(ascii('>2 READ-NET*1BA4\r\n')))).toEqual(['7:>2 READ-NET*1BA4']);
  });
});
