import { describe, expect, it } from 'vitest';
import { ascii, concatBytes, fromAscii } from '../../core/bytes.ts';
import { DteDecoder, type DteEvent } from './dte-decoder.ts';
import { Rand, randomChunks, singleBytes } from './test-support.ts';

/** A session: what the terminal did (`begin`, `echo`) and what the modem sent (`rx`), in order. */
type Step = { begin: string } | { rx: string | Uint8Array } | { echo: string } | { leave: true };

function run(steps: Step[], chunker: (b: Uint8Array) => Uint8Array[] = (b) => [b], options = {}): DteEvent[] {
  const d = new DteDecoder(options);
  const out: DteEvent[] = [];
  for (const s of steps) {
    if ('begin' in s) d.beginCommand(s.begin);
    else if ('echo' in s) d.echoData(ascii(s.echo));
    else if ('leave' in s) d.leaveTransparent();
    else for (const c of chunker(typeof s.rx === 'string' ? ascii(s.rx) : s.rx)) out.push(...d.push(c));
  }
  out.push(...d.flush());
  return out;
}

/** Compact view of events for assertions. */
function view(events: DteEvent[]): string[] {
  return events.map((e) => {
    switch (e.type) {
      case 'data':
        return `data(${e.source}):${fromAscii(e.bytes)}`;
      case 'prompt':
        return 'prompt';
      case 'urc':
        return `urc${e.id ? `(${e.id})` : ''}:${e.text}${e.body !== undefined ? `|${e.body}` : ''}`;
      case 'final':
        return `final(${e.result.kind}):${e.text}`;
      default:
        return `${e.type}:${e.text}`;
    }
  });
}

const SESSION: Step[] = [
  { rx: '\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n' },
  { begin: 'AT+CREG?' },
  { rx: 'AT+CREG?\r\r\n+CREG: 1,"00A1","1234"\r\n\r\n+CREG: 2,1,"00A1","1234"\r\n\r\nOK\r\n' },
  { begin: 'AT+CIPSEND=5' },
  { rx: 'AT+CIPSEND=5\r\r\n> ' },
  { echo: 'hello' },
  { rx: 'hello\r\nSEND OK\r\n' },
  { begin: 'AT+QIRD=0,1500' },
  { rx: '\r\n+QIRD: 5\r\nOK\r\n\r\n\r\nOK\r\n' },
  { rx: '\r\n+QIURC: "recv",0,4\r\n\r\n\r\n\r\n+IPD,3:a\rb\r\n+RECEIVE,1,2:\r\nxy' },
  { rx: '\r\n+CMT: "+90555","","24/01/01,10:00:00+12"\r\n\r\n\r\n+CMTI: "SM",3\r\n' },
  { begin: 'AT+CIPRXGET=3,0,2' },
  { rx: '\r\n+CIPRXGET: 3,0,2,0\r\n6869\r\nOK\r\n' },
  { begin: 'ATO' },
  { rx: '\r\nCONNECT 9600\r\nraw\r\nOK\r\n' },
  { leave: true },
  { rx: '\r\nOK\r\n\r\n+CPIN: NOT INSERTED\r\n' },
];

const EXPECTED = [
  'urc(rdy):RDY',
  'urc(cfun):+CFUN: 1',
  'urc(cpin):+CPIN: READY',
  'urc(call-ready):Call Ready',
  'urc(sms-ready):SMS Ready',
  'echo:AT+CREG?',
  'urc(creg):+CREG: 1,"00A1","1234"',
  'response:+CREG: 2,1,"00A1","1234"',
  'final(ok):OK',
  'echo:AT+CIPSEND=5',
  'prompt',
  'echo:hello',
  'final(send-ok):SEND OK',
  'response:+QIRD: 5',
  'data(qird):OK\r\n\r',
  'final(ok):OK',
  'urc(qiurc):+QIURC: "recv",0,4',
  'data(qiurc-recv):\r\n\r\n',
  'urc(ipd):+IPD,3:',
  'data(ipd):a\rb',
  'urc(receive):+RECEIVE,1,2:',
  'data(receive):xy',
  'urc(cmt):+CMT: "+90555","","24/01/01,10:00:00+12"|',
  'urc(cmti):+CMTI: "SM",3',
  'response:+CIPRXGET: 3,0,2,0',
  'data(ciprxget-hex):6869',
  'final(ok):OK',
  'final(connect):CONNECT 9600',
  'data(transparent):raw\r\nOK\r\n',
  'final(ok):OK',
  'urc(cpin):+CPIN: NOT INSERTED',
];

describe('DTE decoder', () => {
  it('decodes a session: URCs, echo, prompt, payload echo, data of every kind, transparent mode', () => {
    expect(view(run(SESSION))).toEqual(EXPECTED);
  });

  it('gives the same events byte by byte (transparent data aside, which comes as it arrives)', () => {
    const events = view(run(SESSION, singleBytes));
    const joined = events.filter((e) => !e.startsWith('data(transparent)'));
    expect(joined).toEqual(EXPECTED.filter((e) => !e.startsWith('data(transparent)')));
    expect(events.filter((e) => e.startsWith('data(transparent)')).map((e) => e.slice(18)).join('')).toBe('raw\r\nOK\r\n');
  });

  it('gives the same events for random splits', () => {
    const r = new Rand(7);
    for (let i = 0; i < 120; i++) {
      const events = run(SESSION, (b) => randomChunks(r, b));
      const v = view(events).filter((e) => !e.startsWith('data(transparent)'));
      expect(v).toEqual(EXPECTED.filter((e) => !e.startsWith('data(transparent)')));
    }
  });

  it('reports absolute offsets of each line and of the data', () => {
    const events = run([{ begin: 'AT+QIRD=0' }, { rx: '\r\n+QIRD: 2\r\nab\r\n\r\nOK\r\n' }]);
    expect(events.map((e) => [e.type, e.start, e.end])).toEqual([
      ['response', 2, 11],
      ['data', 12, 14],
      ['final', 18, 21],
    ]);
  });

  it('recognises the prompt only while a command waits, and only as "> "', () => {
    expect(view(run([{ rx: '\r\n> \r\n' }]))).toEqual(['urc:> ']);
    expect(view(run([{ begin: 'AT+CMGS="+90555"' }, { rx: '\r\n>x\r\n' }]))).toEqual(['response:>x']);
    expect(view(run([{ begin: 'AT+CMGS="+90555"' }, { rx: '\r\n> ' }]))).toEqual(['prompt']);
  });

  it('holds a partial prompt, a partial +IPD header and a partial line until they complete', () => {
    const d = new DteDecoder();
    d.beginCommand('AT+QISEND=0');
    expect(d.push(ascii('\r\n>'))).toEqual([]);
    expect(d.pending).toBe(1);
    expect(view(d.push(ascii(' ')))).toEqual(['prompt']);
    expect(d.push(ascii('\r\n+IPD,1'))).toEqual([]);
    expect(view(d.push(ascii('2:')))).toEqual(['urc(ipd):+IPD,12:']);
    expect(d.state).toBe('data');
  });

  it('keeps payload echo that stops short, and lines after it', () => {
    expect(view(run([{ begin: 'AT+CIPSEND' }, { rx: '\r\n> ' }, { echo: 'hello\x1a' }, { rx: 'hello\r\nSEND OK\r\n' }]))).toEqual(['prompt', 'echo:hello', 'final(send-ok):SEND OK']);
    expect(view(run([{ begin: 'AT+CIPSEND' }, { rx: '\r\n> ' }, { echo: 'hello' }, { rx: '\r\nSEND OK\r\n' }]))).toEqual(['prompt', 'final(send-ok):SEND OK']);
  });

  it('reads ATV0 output: numeric finals end with CR only', () => {
    const d = new DteDecoder({ numeric: true });
    d.beginCommand('AT+CFUN?');
    expect(view(d.push(ascii('+CFUN: 1\r\n0\r')))).toEqual(['response:+CFUN: 1', 'final(ok):0']);
  });

  it('cuts an over-long line and goes on', () => {
    const d = new DteDecoder({ maxLineLength: 16 });
    const events = d.push(ascii('ABCDEFGHIJKLMNOPQRSTU\r\nOK\r\n'));
    expect(view(events)).toEqual(['urc:ABCDEFGHIJKLMNOP', 'urc:QRSTU', 'urc:OK']);
    expect(events[0]).toMatchObject({ overlong: true });
  });

  it('does not believe an absurd byte count', () => {
    const events = run([{ begin: 'AT+QIRD=0' }, { rx: '\r\n+QIRD: 99999\r\n\r\nOK\r\n' }], undefined, { maxDataLength: 1500 });
    expect(view(events)).toEqual(['response:+QIRD: 99999', 'final(ok):OK']);
  });

  it('reads data when told a byte count', () => {
    const d = new DteDecoder();
    d.expectData(3);
    expect(view(d.push(ascii('a\r\nOK\r\n')))).toEqual(['data(expected):a\r\n', 'urc:OK']);
  });

  it('flushes what is held: a partial line, partial data, a URC without its body', () => {
    const d = new DteDecoder();
    d.push(ascii('\r\n+QIURC: "recv",0,10\r\nabc'));
    expect(d.flush().map((e) => (e.type === 'data' ? [e.type, fromAscii(e.bytes), e.complete] : [e.type]))).toEqual([['data', 'abc', false]]);
    const e = new DteDecoder();
    expect(view(e.push(ascii('\r\n+CMT: "x"\r\n')))).toEqual([]);
    expect(view(e.flush())).toEqual(['urc(cmt):+CMT: "x"']);
    const f = new DteDecoder();
    f.push(ascii('partial'));
    expect(view(f.flush())).toEqual(['urc:partial']);
  });

  it('stays in transparent mode until told, then reads the OK of +++', () => {
    const d = new DteDecoder();
    d.beginCommand('AT+QIOPEN=1,0,"TCP","1.2.3.4",80,0,2');
    expect(view(d.push(ascii('\r\nCONNECT\r\nhello')))).toEqual(['final(connect):CONNECT', 'data(transparent):hello']);
    expect(view(d.push(ascii('\r\nOK\r\n')))).toEqual(['data(transparent):\r\nOK\r\n']);
    d.leaveTransparent();
    expect(view(d.push(ascii('\r\nOK\r\n')))).toEqual(['final(ok):OK']);
    expect(d.inProgress).toBeUndefined();
  });

  it('lets the caller switch off transparent mode after CONNECT', () => {
    const events = run([{ begin: 'ATD*99#' }, { rx: '\r\nCONNECT\r\n~\x7e' }], undefined, { connectEntersData: false });
    expect(view(events)).toEqual(['final(connect):CONNECT', 'urc:~~']);
  });

  it('reads a direct-push URC without data when told the length is only a count', () => {
    expect(view(run([{ rx: '\r\n+QIURC: "recv",0,5\r\n\r\nOK\r\n' }], undefined, { recvUrcCarriesData: false }))).toEqual(['urc(qiurc):+QIURC: "recv",0,5', 'urc:OK']);
  });

  it('accepts bare LF and bare CR line ends', () => {
    expect(view(run([{ begin: 'AT' }, { rx: 'AT\nOK\n' }]))).toEqual(['echo:AT', 'final(ok):OK']);
    expect(view(run([{ begin: 'AT' }, { rx: concatBytes([ascii('\rOK\r')]) }]))).toEqual(['final(ok):OK']);
  });
});
