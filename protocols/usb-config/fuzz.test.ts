/**
 * Deterministic fuzzing: random bytes, printable noise and mutated valid lines through the
 * framer and both decoders. Nothing may throw anything but a `UsbConfigError`, the framer never
 * holds more than a line, and a line changed in one byte never decodes to a different message.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../core/random.ts';
import { decodeAnswer, encodeAnswer } from './answers.ts';
import { UsbConfigError } from './errors.ts';
import { LineFramer } from './framer.ts';
import { MAX_LINE } from './line.ts';
import { crc16 } from './crc16.ts';
import { ascii } from '../../core/bytes.ts';
import { decodeRequest, encodeRequest } from './requests.ts';
import { sampleAnswers, sampleRequests } from './test-support.ts';

const withCrc = (body: string) => ascii(`${body}*${crc16(ascii(body)).toString(16).padStart(4, '0')}\r\n`);

const requests = sampleRequests.map((r) => ({ value: r, bytes: encodeRequest(r) }));
const answers = sampleAnswers.map((a) => ({ value: a, bytes: encodeAnswer(a) }));

/** Runs `f`; returns its value, or undefined when it threw a UsbConfigError; fails on anything else. */
function guarded<T>(what: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (err) {
    if (err instanceof UsbConfigError) return undefined;
    expect.unreachable(`${what}: threw ${String(err)}`);
  }
}

describe('usb-config fuzz', () => {
  it('random bytes and printable noise: only UsbConfigErrors, bounded buffer', () => {
    const rnd = mulberry32(0x05bc0f);
    const alphabet = ' >=<"\\*0123456789ABCDEFmodestaticpWRITE-NET.,/\r\n';
    for (let i = 0; i < 1500; i++) {
      const len = Math.floor(rnd() * 300);
      const printable = rnd() < 0.6;
      const bytes = new Uint8Array(len);
      for (let k = 0; k < len; k++) bytes[k] = printable ? alphabet.charCodeAt(Math.floor(rnd() * alphabet.length)) : Math.floor(rnd() * 256);
      guarded(`request ${i}`, () => decodeRequest(bytes));
      guarded(`answer ${i}`, () => decodeAnswer(bytes));
      const f = new LineFramer();
      for (const e of f.push(bytes)) {
        if (e.kind === 'line') {
          guarded(`framed request ${i}`, () => decodeRequest(e.bytes, e.offset));
          guarded(`framed answer ${i}`, () => decodeAnswer(e.bytes, e.offset));
        }
      }
      if (f.pending >= MAX_LINE) expect.unreachable(`case ${i}: framer holds ${f.pending} bytes`);
    }
  });

  it('token soup with a correct CRC reaches every field check: only UsbConfigErrors', () => {
    const rnd = mulberry32(0xc0ffee);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const words = ['OK', 'ERR', '-', 'IDENTIFY', 'READ-NET', 'WRITE-NET', 'STATUS', 'RESTART', 'X'];
    const keys = ['mode', 'address', 'gateway', 'dns', 'link', 'source', 'route', 'applied', 'lease', 'in', 'code', 'field', 'offset', 'text', 'model', 'modem', 'firmware', 'mac', 'problem'];
    const values = ['dhcp', 'static', 'up', 'down', 'none', 'yes', 'no', 'unknown', 'checksum', 'invalid-field', '""', '"a b"', '192.168.1.50/24', '192.168.1.1', '10.0.0.1', '8.8.8.8,8.8.4.4', '1.2.3', '300.1.1.1', '1.1.1.1/33', '0', '99999999999', '-1', '01.2.3.4'];
    let decoded = 0;
    for (let i = 0; i < 3000; i++) {
      let body = `${pick(['>', '<'])}${Math.floor(rnd() * 70000)}`;
      const nWords = Math.floor(rnd() * 3);
      for (let k = 0; k < nWords; k++) body += ` ${pick(words)}`;
      const nFields = Math.floor(rnd() * 7);
      for (let k = 0; k < nFields; k++) body += ` ${pick(keys)}=${pick(values)}`;
      const line = withCrc(body);
      if (guarded(`request ${body}`, () => decodeRequest(line)) !== undefined) decoded++;
      if (guarded(`answer ${body}`, () => decodeAnswer(line)) !== undefined) decoded++;
    }
    expect(decoded).toBeGreaterThan(20); // the soup does reach valid messages, not only errors
  });

  it('one changed byte never yields a different message', () => {
    const rnd = mulberry32(77);
    for (let i = 0; i < 3000; i++) {
      const pool = rnd() < 0.5 ? requests : answers;
      const pick = pool[Math.floor(rnd() * pool.length)]!;
      const m = Uint8Array.from(pick.bytes);
      const at = Math.floor(rnd() * (m.length - 2)); // the CR LF ending is the framer's business
      m[at] = Math.floor(rnd() * 256);
      const decoded = pool === requests ? guarded(`request ${i}`, () => decodeRequest(m)) : guarded(`answer ${i}`, () => decodeAnswer(m));
      // Only a change of a CRC hex digit's case can leave the line valid, and then it says the same.
      if (decoded !== undefined) expect(decoded).toEqual(pick.value);
    }
  });

  it('truncated and spliced lines: only UsbConfigErrors', () => {
    const rnd = mulberry32(4242);
    const all = [...requests, ...answers].map((x) => x.bytes);
    for (let i = 0; i < 1500; i++) {
      const a = all[Math.floor(rnd() * all.length)]!;
      const b = all[Math.floor(rnd() * all.length)]!;
      const cutA = Math.floor(rnd() * a.length);
      const cutB = Math.floor(rnd() * b.length);
      const spliced = Uint8Array.from([...a.subarray(0, cutA), ...b.subarray(cutB)]);
      guarded(`request ${i}`, () => decodeRequest(spliced));
      guarded(`answer ${i}`, () => decodeAnswer(spliced));
    }
  });
});
