/**
 * Deterministic fuzz: random and mutated input through every parser and both stream readers.
 * Nothing may throw but AtError; the readers never throw at all, always make progress, hold at
 * most one line's worth of bytes, and report offsets that only move forward.
 */
import { describe, expect, it } from 'vitest';
import { ascii, fromAscii } from '../../core/bytes.ts';
import { parseArgs } from './args.ts';
import { formatCommandLine, parseCommandLine } from './command-line.ts';
import { DceReader } from './dce-reader.ts';
import { DteDecoder, type DteEvent } from './dte-decoder.ts';
import { AtError } from './errors.ts';
import { parseResultCode } from './result-codes.ts';
import * as codecs from './index.ts';
import { Rand, randomChunks } from './test-support.ts';

function ours<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof AtError) return undefined;
    throw e;
  }
}

const ALPHABET = 'AT+CREGQIRDSP=?;,"\\0123456789 :()-.\r\n>\x1a\x1b\x08';

function randomText(r: Rand, max: number): string {
  let s = '';
  const n = r.int(0, max);
  for (let i = 0; i < n; i++) s += r.next() < 0.8 ? r.pick([...ALPHABET]) : String.fromCharCode(r.int(0, 255));
  return s;
}

function mutate(r: Rand, text: string): string {
  const c = [...text];
  for (let k = r.int(1, 3); k > 0; k--) {
    const at = r.int(0, Math.max(0, c.length - 1));
    switch (r.int(0, 3)) {
      case 0:
        c[at] = r.pick([...ALPHABET]);
        break;
      case 1:
        c.splice(at, 0, r.pick([...ALPHABET]));
        break;
      case 2:
        c.splice(at, 1);
        break;
      case 3:
        c.length = r.int(0, c.length);
        break;
    }
  }
  return c.join('');
}

const SAMPLE_LINES = [
  'AT+CREG=2;+CGREG=2',
  'AT+QIOPEN=1,0,"TCP","220.180.239.212",8009,0,1',
  'ATE0V1&W',
  'AT+CSTT="a\\22b","",""',
  'ATD*99#',
  'ATS0=1',
  'A/',
];

const SAMPLE_RESPONSES = [
  '+CSQ: 17,0',
  '+CREG: 2,1,"00A1","1234",7',
  '+CPIN: READY',
  '+COPS: 0,0,"Turkcell",7',
  '+CGDCONT: 1,"IP","internet","0.0.0.0",0,0',
  '+QIURC: "recv",0,5',
  '+QISTATE: 0,"TCP","1.2.3.4",80,1234,2,1,0,1,"uart1"',
  '+CPSI: LTE,Online,460-11,0x5A1E,187214780,257,EUTRAN-BAND3,1850,5,5,-94,-850,-545,15',
  '+CIPRXGET: 2,0,5,0',
  '+QNWINFO: "FDD LTE","46011","LTE BAND 3",1825',
];

const RESPONSE_CODECS = (Object.values(codecs) as unknown[]).filter(
  (v): v is codecs.ResponseCodec<unknown> => typeof v === 'object' && v !== null && 'prefix' in v && 'parse' in v && 'format' in v,
);

describe('fuzz', () => {
  it('command lines: only AtError, and what parses round-trips', () => {
    const r = new Rand(11);
    for (let i = 0; i < 2000; i++) {
      const text = i % 2 === 0 ? randomText(r, 30) : mutate(r, r.pick(SAMPLE_LINES));
      const parsed = ours(() => parseCommandLine(text));
      if (!parsed) continue;
      const again = ours(() => formatCommandLine(parsed));
      if (again !== undefined) expect(parseCommandLine(again)).toEqual(parsed);
    }
  });

  it('argument lists and result codes: only AtError', () => {
    const r = new Rand(12);
    for (let i = 0; i < 2000; i++) {
      const text = randomText(r, 24);
      ours(() => parseArgs(text, 'command'));
      ours(() => parseArgs(text, 'response'));
      parseResultCode(text);
    }
  });

  it('typed response codecs: only AtError, and what parses round-trips', () => {
    expect(RESPONSE_CODECS.length).toBeGreaterThan(25);
    const r = new Rand(13);
    for (let i = 0; i < 300; i++) {
      const text = mutate(r, r.pick(SAMPLE_RESPONSES));
      for (const codec of RESPONSE_CODECS) {
        const v = ours(() => codec.parse(text));
        if (v === undefined) continue;
        const line = ours(() => codec.format(v));
        if (line !== undefined) expect(codec.parse(line)).toEqual(v);
      }
    }
  });

  it('DTE decoder: never throws, always progresses, offsets move forward', () => {
    const r = new Rand(14);
    const lines = ['OK', 'ERROR', '+CME ERROR: 10', '+QIRD: 3', '+CIPRXGET: 2,3,0', '+QIURC: "recv",0,4', '+IPD,2:', '> ', 'CONNECT', 'RING', '+CMT: "x"', 'SEND OK', '+CREG: 1'];
    for (let i = 0; i < 400; i++) {
      const d = new DteDecoder({ maxLineLength: 64 });
      let stream = '';
      for (let k = r.int(1, 12); k > 0; k--) stream += (r.next() < 0.5 ? '\r\n' : '') + (r.next() < 0.7 ? r.pick(lines) : randomText(r, 20)) + (r.next() < 0.8 ? '\r\n' : '');
      const bytes = ascii(stream.replace(/[^\x00-\xff]/g, '?'));
      const events: DteEvent[] = [];
      for (const c of randomChunks(r, bytes, 7)) {
        if (r.next() < 0.1) d.beginCommand(r.pick(SAMPLE_LINES));
        if (r.next() < 0.05) d.leaveTransparent();
        events.push(...d.push(c));
        expect(d.pending).toBeLessThanOrEqual(64 + 8);
      }
      events.push(...d.flush());
      expect(d.pending).toBe(0);
      let last = 0;
      for (const e of events) {
        expect(e.start).toBeGreaterThanOrEqual(last);
        expect(e.end).toBeGreaterThanOrEqual(e.start);
        expect(e.end).toBeLessThanOrEqual(bytes.length);
        last = e.end;
      }
    }
  });

  it('DCE reader: never throws, reports offsets in order, and loses no data byte', () => {
    const r = new Rand(15);
    for (let i = 0; i < 250; i++) {
      const reader = new DceReader({ maxLineLength: 32 });
      const bytes = i % 2 === 0 ? r.bytes(r.int(0, 120)) : ascii(mutate(r, `${r.pick(SAMPLE_LINES)}\r${r.pick(SAMPLE_LINES)}\r`));
      let last = 0;
      for (const c of randomChunks(r, bytes, 11)) {
        reader.feed(c);
        for (let e = reader.next(); e; e = reader.next()) {
          expect(e.start).toBeGreaterThanOrEqual(last);
          expect(e.end).toBeLessThanOrEqual(bytes.length);
          last = e.end;
          if (e.type === 'line' && r.next() < 0.3) reader.expectData(r.next() < 0.5 ? { until: 'ctrl-z' } : { length: r.int(1, 10) });
          if (e.type === 'data' && e.ended === 'length') expect(e.end - e.start).toBe(e.bytes.length);
          if (e.type === 'line') expect(e.text.length).toBeLessThanOrEqual(34);
          if (e.type === 'line') expect(fromAscii(ascii(e.text))).toBe(e.text);
        }
      }
      expect(reader.pending).toBe(0);
    }
  });
});
