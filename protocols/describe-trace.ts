/**
 * Decoded one-line descriptions of trace records, for `ht-hil trace show` and the HTML report.
 * The protocol is recognised from the line settings and the bytes: 7 data bits is IEC 62056-21;
 * 8 data bits with a valid CRC is Modbus RTU; text lines starting with `AT` or CR LF are AT
 * commands. Returns undefined when nothing fits (the hex and printable columns remain).
 */
import { fromHex } from '../core/bytes.ts';
import type { TraceBytesRecord } from '../core/trace/index.ts';
import { decodeAll, describeMessage } from './iec62056-21/index.ts';
import { crcOk, describe as describeModbus } from './modbus-rtu/index.ts';

function describeIec(bytes: Uint8Array): string | undefined {
  const events = decodeAll(bytes, { side: 'auto', parity: 'strip' });
  const parts = events.map((e) => (e.type === 'frame' ? describeMessage(e.frame) : `error: ${e.error.message}`));
  return parts.length ? parts.join('; ') : undefined;
}

function describeAt(bytes: Uint8Array): string | undefined {
  const text = String.fromCharCode(...bytes.subarray(0, 200));
  const lines = text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);
  if (!lines.length || !lines.some((l) => /^(AT|\+[A-Z]+|OK$|ERROR|>)/i.test(l))) return undefined;
  return lines.slice(0, 4).join(' | ') + (lines.length > 4 ? ' …' : '');
}

export function describeTraceRecord(r: TraceBytesRecord): string | undefined {
  const bytes = fromHex(r.hex);
  if (bytes.length === 0) return undefined;
  const dataBits = Number(r.settings.split(' ')[1]?.[0]);
  try {
    if (dataBits === 7) return describeIec(bytes);
    if (bytes.length >= 4 && crcOk(bytes)) return describeModbus(bytes);
    return describeAt(bytes);
  } catch {
    return undefined;
  }
}
