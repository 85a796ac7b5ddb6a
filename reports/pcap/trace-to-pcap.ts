/**
 * A trace's bytes as a capture file Wireshark and tshark read (`ht-hil trace export TRACE
 * --pcap OUT`). Every bytes record becomes one packet of link type WIRESHARK_UPPER_PDU (252),
 * whose exported-PDU header names the dissector:
 *
 * | bytes on the line | dissector | what Wireshark shows |
 * |---|---|---|
 * | 8 data bits, ≥ 4 bytes, valid Modbus CRC | `mbrtu` | Modbus RTU: unit, function, registers |
 * | AT command, answer or other text lines (8 data bits) | `at` | AT commands with their parameters |
 * | 7 data bits (IEC 62056-21) | `data`, protocol column `IEC 62056-21`, info = our decoding | raw bytes |
 * | anything else (garbled, collided, uplink frames inside AT sockets) | `data`, protocol column `serial` | raw bytes |
 *
 * Wireshark has no IEC 62056-21 (mode A–E) dissector, so those frames stay raw data; our
 * decoding travels in the info-column tag and, in pcapng, in the packet comment.
 *
 * pcapng (the default) has one interface per line (named for it, described by its first
 * settings), and per packet the direction (`outbound` when the terminal sent the bytes) and a
 * comment: who sent or received them, the line settings, UART flags and our decoding. Classic
 * pcap (`.pcap` files) has one link for all lines; the direction is kept in the exported-PDU
 * header, the line only in the protocol column text.
 */
import { fromHex } from '../../core/bytes.ts';
import type { TraceBytesRecord, TraceRecord } from '../../core/trace/index.ts';
import { describeTraceRecord } from '../../protocols/describe-trace.ts';
import { crcOk } from '../../protocols/modbus-rtu/index.ts';
import { pcapFile, pcapngFile, type CaptureInterface, type CapturedPacket } from './capture-file.ts';
import { exportedPdu, LINKTYPE_WIRESHARK_UPPER_PDU, type ExportedPdu } from './exported-pdu.ts';

export interface PcapExportOptions {
  /** `pcapng` (default: one interface per line) or classic `pcap`. */
  format?: 'pcapng' | 'pcap';
  /** Only these lines. */
  lines?: readonly string[];
  /** Also export what an end received differently from what was sent (`rx` records); default true. */
  received?: boolean;
}

/** The capture file, its packet count and its lines (in order of first appearance). */
export interface PcapExport {
  bytes: Uint8Array;
  packets: number;
  lines: string[];
}

/** True when the terminal (the device under test) is the side that put these bytes on the line. */
function fromTerminal(r: TraceBytesRecord): boolean {
  return r.kind === 'tx' ? r.from.endsWith('/terminal') : !r.to.endsWith('/terminal');
}

/** Printable ASCII lines ending in CR or LF: a modem's answers and URCs (`RDY`, `Call Ready`). */
function isTextLines(b: Uint8Array): boolean {
  return b.length > 0 && (b.includes(0x0d) || b.includes(0x0a)) && b.every((x) => x === 0x0d || x === 0x0a || (x >= 0x20 && x < 0x7f));
}

/** The exported-PDU description of one bytes record: which dissector, columns and direction. */
export function pduFor(r: TraceBytesRecord, line?: string): ExportedPdu {
  const payload = fromHex(r.hex);
  const direction = fromTerminal(r) ? 'sent' : 'received';
  const described = describeTraceRecord(r);
  const dataBits = r.settings.split(' ')[1]?.[0];
  const got = r.kind === 'rx' ? `received by ${r.to} as ` : '';
  if (dataBits === '7') {
    return { dissector: 'data', protocol: line ? `IEC 62056-21 ${line}` : 'IEC 62056-21', info: `${got}${described ?? `${payload.length} bytes`}`, direction, payload };
  }
  if (payload.length >= 4 && crcOk(payload)) return { dissector: 'mbrtu', direction, payload };
  if (described !== undefined || isTextLines(payload)) return { dissector: 'at', direction, payload };
  return { dissector: 'data', protocol: line ? `serial ${line}` : 'serial', info: `${got}${payload.length} bytes${r.flags?.length ? ` [${r.flags.join(' ')}]` : ''}`, direction, payload };
}

function comment(r: TraceBytesRecord): string {
  const who = r.kind === 'tx' ? `${r.from} sent` : `${r.to}${r.more ? ` (+${r.more})` : ''} received differently`;
  const flags = r.flags?.length ? ` [${r.flags.join(' ')}]` : '';
  const sent = r.kind === 'rx' && r.sent ? ` (sent at ${r.sent})` : '';
  const described = describeTraceRecord(r);
  return `${who} at ${r.settings}${flags}${sent}${described ? `: ${described}` : ''}`;
}

/** The capture file of a trace's bytes records (in trace order). */
export function traceToPcap(records: readonly TraceRecord[], options: PcapExportOptions = {}): PcapExport {
  const bytes = records.filter((r): r is TraceBytesRecord => (r.kind === 'tx' || (r.kind === 'rx' && options.received !== false)) && (!options.lines || options.lines.includes(r.line)));
  const lines: string[] = [];
  const interfaces: CaptureInterface[] = [];
  for (const r of bytes) {
    if (lines.includes(r.line)) continue;
    lines.push(r.line);
    interfaces.push({ linktype: LINKTYPE_WIRESHARK_UPPER_PDU, name: r.line, description: `serial line ${r.line} (first at ${r.settings})` });
  }
  const classic = options.format === 'pcap';
  const packets: CapturedPacket[] = bytes.map((r) => {
    const pdu = pduFor(r, classic && lines.length > 1 ? r.line : undefined);
    return {
      time: r.t,
      data: exportedPdu(pdu),
      interface: lines.indexOf(r.line),
      direction: pdu.direction === 'sent' ? 'outbound' : 'inbound',
      comment: comment(r),
    };
  });
  return { bytes: classic ? pcapFile(LINKTYPE_WIRESHARK_UPPER_PDU, packets) : pcapngFile(interfaces, packets), packets: packets.length, lines };
}
