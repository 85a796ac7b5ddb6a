import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../core/bytes.ts';
import { mulberry32 } from '../../core/random.ts';
import { pcapFile, pcapngFile, type CapturedPacket } from './capture-file.ts';
import { exportedPdu } from './exported-pdu.ts';

const T = Date.UTC(2026, 0, 5, 0, 15) + 0.123; // 1767572100 s + 123 µs
const hex = (b: Uint8Array) => toHex(b, '');

/** Reads a pcapng file back: blocks, with their options; checks every length on the way. */
function readPcapng(file: Uint8Array): { type: number; body: DataView; options: [number, Uint8Array][] }[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const blocks: { type: number; body: DataView; options: [number, Uint8Array][] }[] = [];
  for (let o = 0; o < file.length; ) {
    const type = view.getUint32(o, true);
    const len = view.getUint32(o + 4, true);
    if (len % 4 !== 0 || view.getUint32(o + len - 4, true) !== len) throw new Error(`block at ${o}: length ${len} is not a multiple of 4 or not repeated at its end`);
    const fixed = type === 0x0a0d0d0a ? 16 : type === 1 ? 8 : 20 + ((view.getUint32(o + 20, true) + 3) & ~3);
    const options: [number, Uint8Array][] = [];
    for (let p = o + 8 + fixed; p < o + len - 4; ) {
      const code = view.getUint16(p, true);
      const olen = view.getUint16(p + 2, true);
      if (code === 0) break;
      options.push([code, file.slice(p + 4, p + 4 + olen)]);
      p += 4 + ((olen + 3) & ~3);
    }
    blocks.push({ type, body: new DataView(file.buffer, file.byteOffset + o + 8, fixed), options });
    o += len;
  }
  return blocks;
}

describe('capture files', () => {
  it('writes a classic pcap header and record byte for byte', () => {
    const file = pcapFile(252, [{ time: T, data: Uint8Array.of(0xde, 0xad, 0xbe) }]);
    expect(hex(file)).toBe(
      'd4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + '00000400' + 'fc000000' + // magic, v2.4, zone, sigfigs, snaplen 262144, linktype 252
        '84025b69' + '7b000000' + '03000000' + '03000000' + 'deadbe', // 1767572100 s, 123 µs, 3 of 3 bytes
    );
  });

  it('writes pcapng section, interface and packet blocks byte for byte', () => {
    const file = pcapngFile([{ linktype: 252, name: 'optical' }], [{ time: T, data: fromHex('2f3f210d0a'), direction: 'outbound', comment: 'hi' }]);
    expect(hex(file)).toBe(
      '0a0d0d0a' + '2c000000' + '4d3c2b1a' + '0100' + '0000' + 'ffffffffffffffff' + '0400' + '0600' + '68742d68696c0000' + '00000000' + '2c000000' + // SHB, shb_userappl 'ht-hil'
        '01000000' + '2c000000' + 'fc00' + '0000' + '00000000' + '0200' + '0700' + '6f70746963616c00' + '0900' + '0100' + '06000000' + '00000000' + '2c000000' + // IDB 252, if_name, if_tsresol 6
        '06000000' + '3c000000' + '00000000' + '98470600' + '7ba922f3' + '05000000' + '05000000' + '2f3f210d0a000000' + '0100' + '0200' + '68690000' + '0200' + '0400' + '02000000' + '00000000' + '3c000000', // EPB, comment, epb_flags outbound
    );
  });

  it('writes the exported-PDU header: dissector name, columns, direction, end, payload', () => {
    expect(hex(exportedPdu({ dissector: 'mbrtu', direction: 'received', payload: Uint8Array.of(1, 2) }))).toBe('000c0008' + '6d62727475000000' + '00230004' + '00000001' + '00000000' + '0102');
    expect(hex(exportedPdu({ dissector: 'data', protocol: 'IEC 62056-21', info: 'ack', direction: 'sent', payload: new Uint8Array() }))).toBe(
      '000c0004' + '64617461' + '0021000c' + hex(new TextEncoder().encode('IEC 62056-21')) + '00240004' + '61636b00' + '00230004' + '00000000' + '00000000',
    );
    const long = exportedPdu({ dissector: 'data', info: 'x'.repeat(5000), payload: new Uint8Array() });
    expect(new DataView(long.buffer).getUint16(10)).toBe(1028); // 1023 x + '…' (3 bytes) padded to 4
  });

  it('reads back what it wrote, for thousands of random packets', () => {
    const rnd = mulberry32(0xca9);
    const ifaces = ['optical', 'rs485', 'gsm', 'ünïcode line'].map((name) => ({ linktype: 252, name, description: `serial line ${name}` }));
    const packets: CapturedPacket[] = Array.from({ length: 2000 }, (_, i) => ({
      time: Date.UTC(2026, 0, 5) + i * 1234.567 + Math.floor(rnd() * 1000) / 1000,
      data: Uint8Array.from({ length: Math.floor(rnd() * 70) }, () => Math.floor(rnd() * 256)),
      interface: Math.floor(rnd() * 4),
      ...(rnd() < 0.7 ? { direction: rnd() < 0.5 ? ('inbound' as const) : ('outbound' as const) } : {}),
      ...(rnd() < 0.5 ? { comment: 'é'.repeat(Math.floor(rnd() * 9)) + String(i) } : {}),
    }));
    const blocks = readPcapng(pcapngFile(ifaces, packets));
    expect(blocks.map((b) => b.type).slice(0, 5)).toEqual([0x0a0d0d0a, 1, 1, 1, 1]);
    expect(blocks.slice(1, 5).map((b) => new TextDecoder().decode(b.options[0]![1]))).toEqual(ifaces.map((i) => i.name));
    const epbs = blocks.slice(5);
    expect(epbs).toHaveLength(packets.length);
    const wrong: string[] = [];
    epbs.forEach((b, i) => {
      const p = packets[i]!;
      const us = b.body.getUint32(4, true) * 2 ** 32 + b.body.getUint32(8, true);
      const data = new Uint8Array(b.body.buffer, b.body.byteOffset + 20, b.body.getUint32(12, true));
      const comment = b.options.find((o) => o[0] === 1);
      const flags = b.options.find((o) => o[0] === 2);
      const got = [us, b.body.getUint32(0, true), hex(data), comment && new TextDecoder().decode(comment[1]), flags && new DataView(flags[1].buffer).getUint32(0, true)];
      const want = [Math.round(p.time * 1000), p.interface, hex(p.data), p.comment, p.direction && (p.direction === 'inbound' ? 1 : 2)];
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`packet ${i}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
    });
    expect(wrong).toEqual([]);
  });
});
