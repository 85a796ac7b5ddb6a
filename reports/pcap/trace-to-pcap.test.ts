import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../core/bytes.ts';
import type { TraceRecord } from '../../core/trace/index.ts';
import { appendCrc } from '../../protocols/modbus-rtu/index.ts';
import { pcapngFile } from './capture-file.ts';
import { pduFor, traceToPcap } from './trace-to-pcap.ts';

const start = Date.UTC(2026, 0, 5);
const hex = (b: Uint8Array) => toHex(b, '');
const request = hex(appendCrc(Uint8Array.of(0x05, 0x03, 0x00, 0x04, 0x00, 0x02)));
const response = hex(appendCrc(Uint8Array.of(0x05, 0x03, 0x04, 0x43, 0x66, 0x80, 0x00)));
const ascii = (s: string) => hex(new TextEncoder().encode(s));
const trace: TraceRecord[] = [
  { kind: 'header', version: 1, clock: 'virtual', start },
  { kind: 'tx', t: start + 1000, end: start + 1166.7, line: 'optical', from: 'optical/terminal', hex: '2f3f210d0a', settings: '300 7E1' },
  { kind: 'tx', t: start + 2000, end: start + 2008.3, line: 'rs485', from: 'rs485/terminal', hex: request, settings: '9600 8N1' },
  { kind: 'tx', t: start + 2050, end: start + 2059.4, line: 'rs485', from: 'rs485/modbus-5', hex: response, settings: '9600 8N1' },
  { kind: 'rx', t: start + 2050, end: start + 2059.4, line: 'rs485', to: 'rs485/terminal', hex: 'ff00ff7e', settings: '9600 8N1', flags: ['collision'] },
  { kind: 'tx', t: start + 3000, end: start + 3000.7, line: 'gsm', from: 'gsm/terminal', hex: ascii('AT+CSQ\r'), settings: '115200 8N1' },
  { kind: 'tx', t: start + 3010, end: start + 3011.5, line: 'gsm', from: 'gsm/modem', hex: ascii('\r\n+CSQ: 20,0\r\n\r\nOK\r\n'), settings: '115200 8N1' },
  { kind: 'tx', t: start + 3020, end: start + 3021, line: 'gsm', from: 'gsm/modem', hex: ascii('\r\nCall Ready\r\n'), settings: '115200 8N1' },
  { kind: 'tx', t: start + 3030, end: start + 3031, line: 'gsm', from: 'gsm/terminal', hex: '48540101000000027b7dbeef', settings: '115200 8N1' },
  { kind: 'event', t: start + 3040, source: 'cloud', name: 'record-stored' },
];

function tshark(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const haveTshark = tshark();

describe('trace export to pcap', () => {
  it('names a dissector per frame: mbrtu for Modbus, at for modem text, raw data for IEC 62056-21 and the rest', () => {
    const bytes = trace.filter((r): r is Extract<TraceRecord, { kind: 'tx' | 'rx' }> => r.kind === 'tx' || r.kind === 'rx');
    expect(bytes.map((r) => pduFor(r).dissector)).toEqual(['data', 'mbrtu', 'mbrtu', 'data', 'at', 'at', 'at', 'data']);
    expect(pduFor(bytes[0]!)).toEqual({ dissector: 'data', protocol: 'IEC 62056-21', info: 'request (no address)', direction: 'sent', payload: fromHex('2f3f210d0a') });
    expect(pduFor(bytes[2]!).direction).toBe('received');
    expect(pduFor(bytes[3]!)).toMatchObject({ protocol: 'serial', info: 'received by rs485/terminal as 4 bytes [collision]', direction: 'received' });
    expect(pduFor(bytes[4]!).direction).toBe('sent');
  });

  it('writes pcapng with one interface per line, and classic pcap on one link', () => {
    const ng = traceToPcap(trace);
    expect([ng.packets, ng.lines]).toEqual([8, ['optical', 'rs485', 'gsm']]);
    expect(hex(ng.bytes.subarray(0, 4))).toBe('0a0d0d0a');
    const tx = traceToPcap(trace, { received: false, lines: ['rs485'] });
    expect([tx.packets, tx.lines]).toEqual([2, ['rs485']]);
    const classic = traceToPcap(trace, { format: 'pcap' });
    expect(hex(classic.bytes.subarray(0, 4))).toBe('d4c3b2a1');
    expect(new DataView(classic.bytes.buffer).getUint32(20, true)).toBe(252);
    expect(pcapngFile([], []).length).toBe(44);
  });

  it.skipIf(!haveTshark)('is read by tshark: Modbus RTU and AT decoded, IEC 62056-21 as data, lines and directions kept (skipped without tshark: apt-get install -y tshark)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ht-hil-pcap-'));
    const file = join(dir, 'trace.pcapng');
    await writeFile(file, traceToPcap(trace).bytes);
    const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=/t', '-e', 'frame.interface_name', '-e', '_ws.col.Protocol', '-e', 'mbrtu.unit_id', '-e', 'modbus.func_code', '-e', 'modbus.regval_uint16', '-e', 'frame.comment', '-e', '_ws.col.Info'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = out.trim().split('\n').map((l) => l.split('\t'));
    expect(rows.map((r) => [r[0], r[1]])).toEqual([
      ['optical', 'IEC 62056-21'],
      ['rs485', 'Modbus RTU'],
      ['rs485', 'Modbus RTU'],
      ['rs485', 'serial'],
      ['gsm', 'AT'],
      ['gsm', 'AT'],
      ['gsm', 'AT'],
      ['gsm', 'serial'],
    ]);
    expect(rows[1]!.slice(2, 4)).toEqual(['5', '3']);
    expect(rows[2]![4]).toBe('17254,32768');
    expect(rows[0]![5]).toBe('optical/terminal sent at 300 7E1: request (no address)');
    expect(rows[3]![5]).toBe('rs485/terminal received differently at 9600 8N1 [collision]');
    expect(rows[4]![6]).toMatch(/^Sent AT Command: AT\+CSQ/);
    expect(rows[5]![6]).toMatch(/^Rcvd AT Command: .*\+CSQ: 20,0/);
    expect(rows[1]![6]).toMatch(/Query: Unit: +5, Func: +3: Read Holding Registers/);
  });
});
