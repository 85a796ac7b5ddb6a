import { describe, expect, it } from 'vitest';
import { ACK, NAK, ascii, concatBytes } from '../../core/bytes.ts';
import { encodeBreak, encodeCommand, passwordCommand, readCommand } from './command.ts';
import { encodeDataMessage, encodeErrorMessage, encodeReadout } from './data-message.ts';
import { Iec62056Decoder, decodeAll, type DecoderOptions } from './decoder.ts';
import { describeMessage } from './describe.ts';
import { encodeMessage } from './encode.ts';
import { Iec62056Error } from './errors.ts';
import type { DecoderEvent, Frame, Message } from './frames.ts';
import { encodeIdentification } from './identification.ts';
import { encodeOptionSelect } from './option-select.ts';
import { encodeRequest } from './request.ts';

const frames = (events: DecoderEvent[]): Frame[] => events.flatMap((e) => (e.type === 'frame' ? [e.frame] : []));
const errors = (events: DecoderEvent[]): Iec62056Error[] => events.flatMap((e) => (e.type === 'error' ? [e.error] : []));
const kinds = (events: DecoderEvent[]): string[] => events.map((e) => (e.type === 'frame' ? e.frame.kind : `error:${e.error.kind}`));
const strip = ({ start: _s, end: _e, raw: _r, ...m }: Frame): Message => m as Message;

// A readout in the shape of an Iskraemeco ME162 (identification quoted by a public mode C
// meter emulator; register list and value format as that emulator serves them).
const IDENT = encodeIdentification({ manufacturer: 'ISk', baudChar: '5', enhanced: [], ident: 'ME162-0033' });
const READOUT = encodeReadout(
  'C.1.0(12345678)\r\n0.0.0(44455566)\r\n1.8.0(0034204.763*kWh)\r\n1.8.1(0000000.000*kWh)\r\n' +
    '1.8.2(0034204.763*kWh)\r\n2.8.0(0001516.488*kWh)\r\n2.8.1(0000000.000*kWh)\r\n2.8.2(0001516.488*kWh)\r\nF.F(0000000)\r\n',
);
const METER_STREAM = concatBytes([IDENT, READOUT]);

describe('Iec62056Decoder: every message round-trips through the stream', () => {
  const messages: [Message, DecoderOptions['side']][] = [
    [{ kind: 'request', address: '12345678' }, 'master'],
    [{ kind: 'identification', manufacturer: 'ELS', baudChar: '6', enhanced: ['2'], ident: 'AS3000' }, 'meter'],
    [{ kind: 'option-select', protocolControl: '0', baudChar: '5', modeControl: '1' }, 'master'],
    [{ kind: 'readout', block: '1.8.0(001234.567*kWh)\r\n' }, 'meter'],
    [{ kind: 'data', text: '(0033402.270*kWh)', partial: false }, 'meter'],
    [{ kind: 'data', text: '1.8.0(1)\r\n', partial: true }, 'meter'],
    [{ kind: 'command', command: 'R', type: '1', data: '1.8.0()', partial: false }, 'master'],
    [{ kind: 'command', command: 'P', type: '0', data: '(12345678)', partial: false }, 'meter'],
    [{ kind: 'command', command: 'W', type: '3', data: '1(2)', partial: true }, 'master'],
    [{ kind: 'break', type: '0' }, 'master'],
    [{ kind: 'ack' }, 'meter'],
    [{ kind: 'nak' }, 'meter'],
    [{ kind: 'wakeup', count: 84 }, 'master'],
  ];
  for (const [msg, side] of messages) {
    it(`${msg.kind} (${side} side and auto)`, () => {
      const bytes = encodeMessage(msg);
      for (const s of [side, 'auto'] as const) {
        const events = decodeAll(bytes, { side: s });
        expect(errors(events)).toEqual([]);
        expect(events).toHaveLength(1);
        const f = frames(events)[0]!;
        expect(strip(f)).toEqual(msg);
        expect([f.start, f.end]).toEqual([0, bytes.length]);
        expect(f.raw).toEqual(bytes);
      }
    });
  }
});

describe('Iec62056Decoder: sessions', () => {
  it('decodes a meter-side readout with offsets', () => {
    const events = decodeAll(METER_STREAM, { side: 'meter' });
    expect(kinds(events)).toEqual(['identification', 'readout']);
    const [id, ro] = frames(events);
    expect([id!.start, id!.end, ro!.start, ro!.end]).toEqual([0, IDENT.length, IDENT.length, METER_STREAM.length]);
  });

  it('decodes a master-side programming session; bare ACKs come out at once in programming mode', () => {
    const d = new Iec62056Decoder({ side: 'master' });
    const out: string[] = [];
    const feed = (b: Uint8Array): void => void out.push(...kinds(d.push(b)));
    feed(new Uint8Array(10));
    feed(encodeRequest({ address: '' }));
    feed(encodeOptionSelect({ protocolControl: '0', baudChar: '5', modeControl: '1' }));
    feed(encodeCommand(passwordCommand('00000000')));
    feed(encodeCommand(readCommand('P.01', ';', '6')));
    feed(Uint8Array.of(ACK));
    expect(out.at(-1)).toBe('ack');
    feed(encodeBreak());
    expect(out).toEqual(['wakeup', 'request', 'option-select', 'command', 'command', 'ack', 'break']);
    feed(Uint8Array.of(ACK));
    expect(out.at(-1)).toBe('break');
    expect(kinds(d.flush())).toEqual(['ack']);
  });

  it('a meter-side session: password prompt, answers, ACK, NAK and an error message', () => {
    const stream = concatBytes([
      IDENT,
      encodeCommand({ command: 'P', type: '0', data: '(1234567)' }),
      Uint8Array.of(ACK),
      encodeDataMessage({ text: '1.8.0(0034204.763*kWh)', partial: false }),
      Uint8Array.of(NAK),
      encodeErrorMessage('ERROR'),
    ]);
    const d = new Iec62056Decoder({ side: 'meter' });
    const events = d.push(stream);
    expect(kinds(events)).toEqual(['identification', 'command', 'ack', 'data', 'nak', 'data']);
    expect(d.flush()).toEqual([]);
    expect(d.offset).toBe(stream.length);
  });

  it('auto side: an ACK waits for the next byte, and the start offset shifts every position', () => {
    const d = new Iec62056Decoder({ startOffset: 1000 });
    expect(d.push(Uint8Array.of(ACK))).toEqual([]);
    const ev = d.push(encodeBreak());
    expect(kinds(ev)).toEqual(['ack', 'break']);
    expect(frames(ev).map((f) => [f.start, f.end])).toEqual([[1000, 1001], [1001, 1006]]);
  });
});

describe('Iec62056Decoder: streaming', () => {
  const sessions: [string, Uint8Array, DecoderOptions][] = [
    ['meter readout', METER_STREAM, { side: 'meter' }],
    [
      'master sign-on and programming',
      concatBytes([
        new Uint8Array(5),
        encodeRequest({ address: '44455566' }),
        encodeOptionSelect({ protocolControl: '0', baudChar: '5', modeControl: '1' }),
        encodeCommand(passwordCommand('00000000')),
        Uint8Array.of(ACK),
        encodeBreak(),
      ]),
      { side: 'master' },
    ],
  ];
  for (const [name, stream, opts] of sessions) {
    it(`${name}: split at every position gives the same frames`, () => {
      const whole = decodeAll(stream, opts);
      expect(errors(whole)).toEqual([]);
      const summary = (events: DecoderEvent[]): string => events.map((e) => (e.type === 'frame' ? `${e.frame.kind}@${e.frame.start}..${e.frame.end} ${describeMessage(e.frame)}` : e.error.message)).join('|');
      const want = summary(whole);
      const mismatches: number[] = [];
      for (let i = 0; i <= stream.length; i++) {
        const d = new Iec62056Decoder(opts);
        const got = [...d.push(stream.subarray(0, i)), ...d.push(stream.subarray(i)), ...d.flush()];
        if (summary(got) !== want) mismatches.push(i);
      }
      expect(mismatches).toEqual([]);
      const d = new Iec62056Decoder(opts);
      const bytewise = [...stream].flatMap((b) => d.push(Uint8Array.of(b)));
      expect([...bytewise, ...d.flush()]).toEqual(whole);
    });
  }
});

describe('Iec62056Decoder: errors and resynchronisation', () => {
  it('BCC mismatch: offset, got/computed and the candidate frame; the next frame still decodes', () => {
    const bad = READOUT.slice();
    bad[bad.length - 1] = bad.at(-1)! ^ 0x40;
    const stream = concatBytes([IDENT, bad, encodeBreak()]);
    const events = decodeAll(stream, { side: 'meter' });
    expect(kinds(events)).toEqual(['identification', 'error:bcc-mismatch', 'break']);
    const err = errors(events)[0]!;
    const at = IDENT.length + READOUT.length - 1;
    expect(err.offset).toBe(at);
    expect(err.details.got).toBe(bad.at(-1));
    expect(err.details.computed).toBe(READOUT.at(-1));
    expect(err.message).toBe(`IEC 62056-21: BCC mismatch at offset ${at}: got 0x${bad.at(-1)!.toString(16).padStart(2, '0')}, computed 0x${READOUT.at(-1)!.toString(16).padStart(2, '0')}`);
    expect(err.details.candidate?.kind).toBe('readout');
    expect(err.details.candidate?.start).toBe(IDENT.length);
  });

  it('an unexpected byte names offset and state; a frame start inside a frame begins the next frame', () => {
    const stream = concatBytes([ascii('/ISk5ME1'), encodeBreak()]);
    const events = decodeAll(stream);
    expect(kinds(events)).toEqual(['error:missing-crlf', 'break']);
    expect(errors(events)[0]!.message).toMatch(/identification line started at offset 0 has no CR LF: byte <SOH> at offset 8 starts another frame/);
    const e2 = errors(decodeAll(ascii('\x01R1\x021.8\x07.0()\x03\x00')))[0]!;
    expect(e2.kind).toBe('unexpected-byte');
    expect(e2.message).toMatch(/unexpected byte 0x07 <BEL> at offset 7 in state command-body: expected a printable character, CR, LF, ETX or EOT/);
  });

  it('a frame without CR LF, a CR without LF, an LF without CR', () => {
    expect(kinds(decodeAll(ascii('/?123!/?!\r\n')))).toEqual(['error:missing-crlf', 'request']);
    const crNoLf = errors(decodeAll(ascii('/?123!\rX')));
    expect(crNoLf[0]!.message).toMatch(/CR at offset 6 is not followed by LF/);
    expect(crNoLf[0]!.offset).toBe(7);
    expect(errors(decodeAll(ascii('/?1!\n')))[0]!.message).toMatch(/LF at offset 4 without CR/);
    expect(kinds(decodeAll(ascii('\x06051\n\r'), { side: 'master' }))).toEqual(['error:missing-crlf', 'error:skipped-bytes']);
  });

  it('too long a line: identification, request and a data body line', () => {
    const id = errors(decodeAll(ascii(`/ELS5${'A'.repeat(40)}\r\n`)))[0]!;
    expect(id.kind).toBe('line-too-long');
    expect(kinds(decodeAll(ascii(`/?${'1'.repeat(40)}!\r\n/?!\r\n`)))).toEqual(['error:line-too-long', 'error:skipped-bytes', 'request']);
    const body = decodeAll(concatBytes([ascii(`\x02${'1'.repeat(30)}\r\n`), encodeBreak()]), { maxLineLength: 20 });
    expect(kinds(body)).toEqual(['error:line-too-long', 'error:skipped-bytes', 'break']);
    expect(errors(body)[0]!.offset).toBe(21);
    // the limit is per line: many short lines make a long frame without an error
    expect(kinds(decodeAll(encodeReadout('1.8.0(001234.567*kWh)\r\n'.repeat(50)), { maxLineLength: 21 }))).toEqual(['readout']);
    expect(kinds(decodeAll(encodeReadout('1.8.0(001234.567*kWh)\r\n'), { maxLineLength: 20 }))[0]).toBe('error:line-too-long');
    expect(kinds(decodeAll(encodeReadout('1(2)\r\n'.repeat(10)), { maxFrameBytes: 30 }))[0]).toBe('error:frame-too-long');
  });

  it('an identification that breaks a field rule is reported and skipped whole', () => {
    const events = decodeAll(concatBytes([ascii('/EL15X\r\n'), IDENT]), { side: 'meter' });
    expect(kinds(events)).toEqual(['error:unexpected-byte', 'identification']);
    expect(errors(events)[0]!.offset).toBe(3);
    const ok = decodeAll(ascii(`/ELS5${'A'.repeat(20)}\r\n`), { maxIdentLength: 20 });
    expect(kinds(ok)).toEqual(['identification']);
  });

  it('bytes with bit 7 set: one error per run, or stripped on request', () => {
    const seven = encodeRequest({ address: '1' });
    const eight = seven.map((b) => b | 0x80);
    const events = decodeAll(concatBytes([eight, seven]));
    expect(kinds(events)).toEqual(['error:parity-bit', 'request']);
    expect(errors(events)[0]!.message).toMatch(/6 of 6 bytes skipped at offset 0 have bit 7 set .*7E1 line read as 8N1/);
    const inFrame = errors(decodeAll(ascii('/?1\xa1\r\n')))[0]!;
    expect([inFrame.kind, inFrame.offset]).toEqual(['parity-bit', 3]);
    const stripped = decodeAll(eight, { parity: 'strip' });
    expect(kinds(stripped)).toEqual(['request']);
    expect(frames(stripped)[0]!.raw).toEqual(eight);
  });

  it('garbage between frames is one skipped-bytes error; NUL runs are wake-ups', () => {
    const events = decodeAll(concatBytes([ascii('xyz\r\n'), new Uint8Array(3), encodeBreak()]));
    expect(kinds(events)).toEqual(['error:skipped-bytes', 'wakeup', 'break']);
    expect(errors(events)[0]!.message).toBe('IEC 62056-21: skipped 5 bytes at offset 0 that start no frame: xyz<CR><LF>');
  });

  it('flush reports a frame cut short', () => {
    const d = new Iec62056Decoder();
    d.push(ascii('\x02C.1.0(1234'));
    const ev = d.flush();
    expect(kinds(ev)).toEqual(['error:truncated']);
    expect(errors(ev)[0]!.message).toMatch(/frame started at offset 0 is cut short at offset 11 in state data-body/);
  });

  it('decoding the readout never needs more than the bytes given (no hidden state across flush)', () => {
    const d = new Iec62056Decoder({ side: 'meter' });
    expect(kinds(d.push(METER_STREAM.subarray(0, 30)))).toEqual(['identification']);
    expect(kinds(d.flush())).toEqual(['error:truncated']);
    expect(kinds(d.push(READOUT))).toEqual(['readout']);
    expect(d.push(new Uint8Array(0))).toEqual([]);
  });
});
