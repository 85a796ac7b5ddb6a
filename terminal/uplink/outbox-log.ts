/**
 * The outbox's on-disk format. A directory holds segment files `00000001.seg`, `00000002.seg`, …
 * Each is a sequence of lines:
 *
 * ```
 * <crc32 of the JSON, 8 lowercase hex> <space> <JSON> <LF>
 *
 * 1a2b3c4d {"head":{"next":41,"acked":37}}                      first line of every segment
 * 5e6f7a8b {"seq":38,"at":1767571200000,"kind":"event","body":{…}}   a record
 * 9c0d1e2f {"ack":39}                                             records up to 39 acknowledged
 * ```
 *
 * A line is whole only with its LF and a matching CRC. After a power cut the last line of the
 * newest segment may be torn (no LF, or a CRC mismatch): it is dropped. A bad line anywhere
 * else is corruption: skipped and counted, the lines after it still count.
 */
import { crc32 } from '../../protocols/uplink/crc32.ts';
import type { UplinkRecord } from '../../protocols/uplink/records.ts';

export type LogEntry = { head: { next: number; acked: number } } | { ack: number } | UplinkRecord;

const LF = 0x0a;
const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/** One line, LF included. */
export function encodeLine(entry: LogEntry): Uint8Array {
  const json = utf8.encode(JSON.stringify(entry));
  const head = utf8.encode(`${crc32(json).toString(16).padStart(8, '0')} `);
  const out = new Uint8Array(head.length + json.length + 1);
  out.set(head, 0);
  out.set(json, head.length);
  out[out.length - 1] = LF;
  return out;
}

export interface SegmentScan {
  entries: LogEntry[];
  /** Length of the file up to the end of its last whole, good line. */
  goodLength: number;
  /** Bytes after `goodLength` (a torn or bad final line). */
  tornBytes: number;
  /** Byte offsets of bad lines that are followed by good ones. */
  corrupt: number[];
}

/** Reads a segment's bytes; never throws. */
export function scanSegment(bytes: Uint8Array): SegmentScan {
  const entries: LogEntry[] = [];
  const corrupt: number[] = [];
  let pos = 0;
  let goodLength = 0;
  let pendingBad: number[] = [];
  while (pos < bytes.length) {
    const lf = bytes.indexOf(LF, pos);
    if (lf < 0) break;
    const entry = parseLine(bytes.subarray(pos, lf));
    if (entry) {
      corrupt.push(...pendingBad);
      pendingBad = [];
      entries.push(entry);
      goodLength = lf + 1;
    } else {
      pendingBad.push(pos);
    }
    pos = lf + 1;
  }
  return { entries, goodLength, tornBytes: bytes.length - goodLength, corrupt };
}

function parseLine(line: Uint8Array): LogEntry | undefined {
  if (line.length < 10 || line[8] !== 0x20) return undefined;
  let text: string;
  try {
    text = utf8Strict.decode(line);
  } catch {
    return undefined;
  }
  const crcHex = text.slice(0, 8);
  if (!/^[0-9a-f]{8}$/.test(crcHex) || parseInt(crcHex, 16) !== crc32(line, 9)) return undefined;
  try {
    const v: unknown = JSON.parse(text.slice(9));
    return isEntry(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function isEntry(v: unknown): v is LogEntry {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  if ('head' in o) {
    const h = o['head'] as Record<string, unknown> | null;
    return !!h && Number.isSafeInteger(h['next']) && Number.isSafeInteger(h['acked']);
  }
  if ('ack' in o) return Number.isSafeInteger(o['ack']);
  return Number.isSafeInteger(o['seq']) && typeof o['at'] === 'number' && typeof o['kind'] === 'string';
}

/** `00000007.seg` */
export function segmentName(n: number): string {
  return `${String(n).padStart(8, '0')}.seg`;
}

/** The number of a segment file name, or undefined for other files. */
export function segmentNumber(name: string): number | undefined {
  const m = /^(\d{8,})\.seg$/.exec(name);
  return m ? Number(m[1]) : undefined;
}
