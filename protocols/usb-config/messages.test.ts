/** Requests and answers: byte-exact examples (as in README.md), round trips, decode errors. */
import { describe, expect, it } from 'vitest';
import { ascii, fromAscii } from '../../core/bytes.ts';
import { decodeAnswer, encodeAnswer, errorAnswerFor } from './answers.ts';
import { crc16 } from './crc16.ts';
import { UsbConfigError } from './errors.ts';
import { decodeRequest, encodeRequest } from './requests.ts';
import { sampleAnswers, sampleRequests } from './test-support.ts';

const withCrc = (body: string) => ascii(`${body}*${crc16(ascii(body)).toString(16).toUpperCase().padStart(4, '0')}\r\n`);

describe('requests', () => {
  it('encode byte for byte as README.md shows them', () => {
    expect(sampleRequests.map((r) => fromAscii(encodeRequest(r)))).toEqual([
      '>1 IDENTIFY*0972\r\n',
      '>2 READ-NET*1BA4\r\n',
      '>3 WRITE-NET mode=static address=192.168.1.50/24 gateway=192.168.1.1 dns=192.168.1.1*5B93\r\n',
      '>4 WRITE-NET mode=dhcp*01CA\r\n',
      '>5 STATUS*DC29\r\n',
      '>65535 RESTART*DC7D\r\n',
    ]);
  });

  it('round-trip', () => {
    for (const r of sampleRequests) expect(decodeRequest(encodeRequest(r))).toEqual(r);
  });

  it('refuse what is not a request, naming the offset, and keep the seq and verb once read', () => {
    const cases: [Uint8Array, string, number, RegExp, number | undefined, string | undefined][] = [
      [withCrc('<1 IDENTIFY'), 'syntax', 0, /expected '>' \(a request\) at offset 0, got '<'/, 1, 'IDENTIFY'],
      [withCrc('>0 IDENTIFY'), 'syntax', 1, /sequence number 0 at offset 1: requests use 1\.\.65535/, 0, 'IDENTIFY'],
      [withCrc('>7'), 'syntax', 2, /expected a command after the sequence number at offset 2/, 7, undefined],
      [withCrc('>7 mode=dhcp'), 'syntax', 8, /expected a command .* at offset 8/, 7, undefined],
      [withCrc('>7 READ-NET NOW'), 'syntax', 12, /unexpected word 'NOW' at offset 12/, 7, 'READ-NET'],
      [withCrc('>7 FORMAT'), 'unknown-command', 3, /unknown command 'FORMAT' at offset 3; expected one of IDENTIFY, READ-NET, WRITE-NET, STATUS, RESTART/, 7, 'FORMAT'],
      [withCrc('>7 STATUS all=yes'), 'invalid-field', 14, /field 'all' at offset 14: STATUS takes no fields/, 7, 'STATUS'],
      [withCrc('>8 WRITE-NET mode=static address=192.168.1.50/24 gateway=10.0.0.1'), 'invalid-field', 57, /field 'gateway' at offset 57: 10\.0\.0\.1 is outside the subnet 192\.168\.1\.0\/24/, 8, 'WRITE-NET'],
    ];
    for (const [line, reason, offset, message, seq, verb] of cases) {
      let e: unknown;
      try {
        decodeRequest(line);
      } catch (err) {
        e = err;
      }
      if (!(e instanceof UsbConfigError)) throw new Error(`no UsbConfigError for ${fromAscii(line)}: ${String(e)}`);
      expect({ line: fromAscii(line), reason: e.reason, offset: e.offset, seq: e.seq, verb: e.verb }).toEqual({ line: fromAscii(line), reason, offset, seq, verb });
      expect(e.detail).toMatch(message);
    }
  });

  it('make the ERR answer a host can match to its request', () => {
    let e: UsbConfigError | undefined;
    try {
      decodeRequest(withCrc('>8 WRITE-NET mode=static address=192.168.1.50/24 gateway=10.0.0.1'));
    } catch (err) {
      e = err as UsbConfigError;
    }
    const a = errorAnswerFor(e!);
    expect(a).toEqual({ seq: 8, ok: false, command: 'write-net', code: 'invalid-field', field: 'gateway', offset: 57, text: '10.0.0.1 is outside the subnet 192.168.1.0/24 of address 192.168.1.50/24' });
    expect(fromAscii(encodeAnswer(a))).toBe(
      '<8 ERR WRITE-NET code=invalid-field field=gateway offset=57 text="10.0.0.1 is outside the subnet 192.168.1.0/24 of address 192.168.1.50/24"*E7AC\r\n',
    );
    let bad: unknown;
    try {
      decodeRequest(ascii('>8 IDENTIFY*0000\r\n'));
    } catch (err) {
      bad = err;
    }
    // A line whose CRC fails may have a corrupted seq: the answer uses 0, not the digits seen.
    expect(errorAnswerFor(bad as UsbConfigError)).toEqual({ seq: 0, ok: false, command: undefined, code: 'checksum', offset: 12, text: 'CRC mismatch at offset 12: got 0x0000, computed 0x2c7c' });
  });
});

describe('answers', () => {
  it('encode byte for byte as README.md shows them', () => {
    expect(fromAscii(encodeAnswer(sampleAnswers[0]!))).toBe('<1 OK IDENTIFY model="HT E21" modem=21000001 firmware=1.0.0 mac=02:48:54:41:0e:a1*8E40\r\n');
    expect(fromAscii(encodeAnswer(sampleAnswers[1]!))).toBe('<2 OK READ-NET mode=dhcp applied=yes*11E6\r\n');
    expect(fromAscii(encodeAnswer(sampleAnswers[3]!))).toBe('<3 OK WRITE-NET applied=no*A295\r\n');
    expect(fromAscii(encodeAnswer(sampleAnswers[4]!))).toBe('<4 OK STATUS link=up source=dhcp address=192.168.1.100/24 gateway=192.168.1.1 dns=192.168.1.1 route=yes lease=3540 applied=yes*A3C0\r\n');
    expect(fromAscii(encodeAnswer(sampleAnswers[6]!))).toBe('<5 OK RESTART in=500*6C68\r\n');
    expect(fromAscii(encodeAnswer(sampleAnswers[7]!))).toBe(
      '<3 ERR WRITE-NET code=invalid-field field=gateway offset=57 text="10.0.0.1 is outside the subnet 192.168.1.0/24 of address 192.168.1.50/24"*0435\r\n',
    );
  });

  it('round-trip', () => {
    for (const a of sampleAnswers) expect(decodeAnswer(encodeAnswer(a))).toEqual(a);
  });

  it('ignore fields they do not know, and name a missing or bad one', () => {
    expect(decodeAnswer(withCrc('<3 OK WRITE-NET applied=no flash-wear=3'))).toEqual({ seq: 3, ok: true, command: 'write-net', applied: false });
    expect(() => decodeAnswer(withCrc('<3 OK WRITE-NET'))).toThrow(/field 'applied' at offset 15: missing from the answer/);
    expect(() => decodeAnswer(withCrc('<3 OK WRITE-NET applied=maybe'))).toThrow(/field 'applied' at offset 24: expected yes or no, got 'maybe'/);
    expect(() => decodeAnswer(withCrc('<4 OK STATUS link=up source=dhcp route=yes applied=yes lease=-1'))).toThrow(/field 'lease' at offset 61: expected a whole number/);
    expect(() => decodeAnswer(withCrc('<4 OK STATUS link=up source=dhcp address=192.168.1/24 route=yes applied=yes'))).toThrow(/field 'address' at offset 50: expected '\.' after part 3/);
    expect(() => decodeAnswer(withCrc('>3 OK WRITE-NET applied=no'))).toThrow(/expected '<' \(an answer\) at offset 0/);
    expect(() => decodeAnswer(withCrc('<3 MAYBE WRITE-NET'))).toThrow(/expected OK or ERR at offset 3, got 'MAYBE'/);
    expect(() => decodeAnswer(withCrc('<3 OK'))).toThrow(/expected the command's verb after OK at offset 5/);
    expect(() => decodeAnswer(withCrc('<3 OK FORMAT'))).toThrow(/unknown command 'FORMAT' at offset 6/);
    expect(() => decodeAnswer(withCrc('<3 ERR - code=melted text=x'))).toThrow(/field 'code' at offset 14: expected too-long or syntax/);
  });
});

describe('README.md', () => {
  it('shows lines that decode, each with its correct CRC', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(new URL('./README.md', import.meta.url), 'utf8');
    const section = text.slice(text.indexOf('## Examples'), text.indexOf('## Errors'));
    const examples = section.split('\n').filter((l) => /^[<>]\d+ /.test(l));
    expect(examples.length).toBe(12);
    for (const l of examples) {
      const bytes = ascii(`${l}\r\n`);
      const decoded = l.startsWith('>') ? decodeRequest(bytes) : decodeAnswer(bytes);
      expect(fromAscii(l.startsWith('>') ? encodeRequest(decoded as never) : encodeAnswer(decoded as never))).toBe(`${l}\r\n`);
    }
  });
});
