import { describe, expect, it } from 'vitest';
import { ascii, fromAscii } from '../../core/bytes.ts';
import { parseCommandLine } from './command-line.ts';
import { DceReader, type DceEvent } from './dce-reader.ts';
import { Rand, randomChunks, singleBytes } from './test-support.ts';

function view(events: DceEvent[]): string[] {
  return events.map((e) => {
    switch (e.type) {
      case 'line':
        return `line:${e.text}${e.overflow ? ' (overflow)' : ''}`;
      case 'repeat':
        return 'repeat';
      case 'data':
        return `data(${e.ended}):${fromAscii(e.bytes)}`;
      case 'cancelled':
        return `cancelled:${fromAscii(e.bytes)}`;
    }
  });
}

describe('DCE command-line reader', () => {
  it('reads lines ending at S3 and ignores what precedes AT', () => {
    const r = new DceReader();
    expect(view(r.push(ascii('\r\nxyzAT+CSQ\r\nat+creg?\rAt\r')))).toEqual(['line:AT+CSQ', 'line:at+creg?', 'line:At']);
  });

  it('applies backspace edits without deleting the prefix, and drops other controls', () => {
    const r = new DceReader();
    expect(view(r.push(ascii('AT+CSX\bQ\r')))).toEqual(['line:AT+CSQ']);
    expect(view(r.push(ascii('AT\b\bE0\r')))).toEqual(['line:ATE0']);
    expect(view(r.push(ascii('AT+C\x01\x7fSQ\r')))).toEqual(['line:AT+CSQ']);
  });

  it('reports A/ at once, without S3', () => {
    const r = new DceReader();
    expect(view(r.push(ascii('A/')))).toEqual(['repeat']);
    expect(view(r.push(ascii('aA/')))).toEqual(['repeat']);
  });

  it('honours S3 and S5 changes', () => {
    const r = new DceReader({ s3: 0x0a });
    expect(view(r.push(ascii('AT\rE0\n')))).toEqual(['line:ATE0']);
    r.setS5(0x7f);
    r.setS3(0x0d);
    expect(view(r.push(ascii('ATE1\x7f0\r')))).toEqual(['line:ATE0']);
  });

  it('marks a line over the buffer size', () => {
    const r = new DceReader({ maxLineLength: 4 });
    expect(view(r.push(ascii('AT+CSQXYZ\rAT\r')))).toEqual(['line:AT+CSQ (overflow)', 'line:AT']);
  });

  it('reads data after a prompt until Ctrl-Z, cancels on ESC, or takes a fixed length', () => {
    const r = new DceReader();
    expect(view(r.push(ascii('AT+CMGS="+90555"\r')))).toEqual(['line:AT+CMGS="+90555"']);
    r.expectData({ until: 'ctrl-z' });
    expect(r.mode).toBe('data');
    expect(view(r.push(ascii('hello\r\nAT\x1aAT\r')))).toEqual(['data(ctrl-z):hello\r\nAT', 'line:AT']);
    r.expectData({ until: 'ctrl-z' });
    expect(view(r.push(ascii('oops\x1b')))).toEqual(['cancelled:oops']);
    r.expectData({ length: 3 });
    expect(view(r.push(ascii('a\x1a\x1bAT\r')))).toEqual(['data(length):a\x1a\x1b', 'line:AT']);
  });

  it('gives up on Ctrl-Z data past its limit', () => {
    const r = new DceReader({ maxDataLength: 4 });
    r.expectData({ until: 'ctrl-z' });
    expect(view(r.push(ascii('abcdeAT\r')))).toEqual(['data(overflow):abcd', 'line:AT']);
  });

  it('gives the same events for any chunking, with offsets', () => {
    const input = ascii('junk AT+CREG=2;+CGREG=2\r\nA/AT+CIPSEND=4\rabcdATX\b\r');
    const runWith = (chunks: Uint8Array[]): DceEvent[] => {
      const r = new DceReader();
      const out: DceEvent[] = [];
      for (const c of chunks) {
        r.feed(c);
        for (let e = r.next(); e; e = r.next()) {
          out.push(e);
          if (e.type === 'line' && e.text.startsWith('AT+CIPSEND')) r.expectData({ length: 4 });
        }
      }
      return out;
    };
    const whole = runWith([input]);
    expect(view(whole)).toEqual(['line:AT+CREG=2;+CGREG=2', 'repeat', 'line:AT+CIPSEND=4', 'data(length):abcd', 'line:AT']);
    expect(whole.map((e) => [e.start, e.end])).toEqual([
      [5, 24],
      [25, 27],
      [27, 40],
      [40, 44],
      [44, 49],
    ]);
    expect(runWith(singleBytes(input))).toEqual(whole);
    const rand = new Rand(3);
    for (let i = 0; i < 100; i++) expect(runWith(randomChunks(rand, input))).toEqual(whole);
  });

  it('hands lines to the command-line parser', () => {
    const r = new DceReader();
    const [e] = r.push(ascii('AT+QIOPEN=1,0,"TCP","220.180.239.212",8009,0,1\r'));
    expect(e?.type).toBe('line');
    if (e?.type === 'line') expect(parseCommandLine(e.text)).toMatchObject({ commands: [{ name: '+QIOPEN', form: 'set' }] });
  });
});
