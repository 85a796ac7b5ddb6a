/**
 * Capture files written byte by byte, little-endian, microsecond timestamps:
 *
 * Classic pcap (one link type for the whole file):
 *
 *   header  magic a1b2c3d4 | major 2 | minor 4 | thiszone 0 | sigfigs 0 | snaplen | linktype   (24 bytes)
 *   record  ts_sec | ts_usec | incl_len | orig_len | data                                       (16 + n bytes)
 *
 * pcapng (one interface per serial line, per-packet direction and comment):
 *
 *   block   type u32 | total length u32 | body | options | total length u32 (again)
 *   SHB     0x0a0d0d0a: byte-order magic 1a2b3c4d, version 1.0, section length -1, shb_userappl
 *   IDB     0x00000001: link type, reserved, snaplen 0 (no limit), if_name, if_description, if_tsresol 6
 *   EPB     0x00000006: interface id, timestamp high/low (µs), captured and original length,
 *                       data padded to 4, opt_comment, epb_flags (direction bits 0-1)
 *   option  code u16 | length u16 | value padded to 4; ends with opt_endofopt (0, 0)
 */

/** One packet: its time, its bytes (link header included), and pcapng extras. */
export interface CapturedPacket {
  /** Clock ms since the epoch (fractional: kept to the microsecond). */
  time: number;
  data: Uint8Array;
  /** Index into the pcapng interfaces (default 0). */
  interface?: number;
  /** pcapng `epb_flags` direction. */
  direction?: 'inbound' | 'outbound';
  /** pcapng `opt_comment`. */
  comment?: string;
}

/** One pcapng interface: a serial line. */
export interface CaptureInterface {
  linktype: number;
  name: string;
  description?: string;
}

/** Classic pcap magic (microsecond timestamps) and the snapshot length written in its header. */
export const PCAP_MAGIC = 0xa1b2c3d4;
export const PCAP_SNAPLEN = 262_144;
/** pcapng block types and the byte-order magic. */
export const PCAPNG = { SHB: 0x0a0d0d0a, IDB: 0x00000001, EPB: 0x00000006, BYTE_ORDER_MAGIC: 0x1a2b3c4d } as const;

class Bytes {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u16(v: number): this {
    this.room(2);
    this.view.setUint16(this.length, v, true);
    this.length += 2;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.length, v >>> 0, true);
    this.length += 4;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }
  pad4(): this {
    return this.bytes(new Uint8Array((4 - (this.length % 4)) % 4));
  }
  setU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

function micros(ms: number): { high: number; low: number; sec: number; usec: number } {
  const us = Math.round(ms * 1000);
  return { high: Math.floor(us / 2 ** 32), low: us % 2 ** 32, sec: Math.floor(us / 1e6), usec: us % 1e6 };
}

/** A classic pcap file: one link type, microsecond timestamps. */
export function pcapFile(linktype: number, packets: readonly CapturedPacket[]): Uint8Array {
  const out = new Bytes().u32(PCAP_MAGIC).u16(2).u16(4).u32(0).u32(0).u32(PCAP_SNAPLEN).u32(linktype);
  for (const p of packets) {
    const t = micros(p.time);
    out.u32(t.sec).u32(t.usec).u32(p.data.length).u32(p.data.length).bytes(p.data);
  }
  return out.result();
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function option(out: Bytes, code: number, value: Uint8Array): void {
  out.u16(code).u16(value.length).bytes(value).pad4();
}

function block(out: Bytes, type: number, body: (b: Bytes) => void): void {
  const start = out.length;
  out.u32(type).u32(0);
  body(out);
  const total = out.length - start + 4;
  out.u32(total);
  out.setU32(start + 4, total);
}

/** A pcapng file: one section, one interface per entry of `interfaces`, enhanced packet blocks. */
export function pcapngFile(interfaces: readonly CaptureInterface[], packets: readonly CapturedPacket[], application = 'ht-hil'): Uint8Array {
  const out = new Bytes();
  block(out, PCAPNG.SHB, (b) => {
    b.u32(PCAPNG.BYTE_ORDER_MAGIC).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff);
    option(b, 4, utf8(application)); // shb_userappl
    b.u32(0); // opt_endofopt
  });
  for (const i of interfaces) {
    block(out, PCAPNG.IDB, (b) => {
      b.u16(i.linktype).u16(0).u32(0);
      option(b, 2, utf8(i.name)); // if_name
      if (i.description) option(b, 3, utf8(i.description)); // if_description
      option(b, 9, Uint8Array.of(6)); // if_tsresol: microseconds
      b.u32(0);
    });
  }
  for (const p of packets) {
    const t = micros(p.time);
    block(out, PCAPNG.EPB, (b) => {
      b.u32(p.interface ?? 0).u32(t.high).u32(t.low).u32(p.data.length).u32(p.data.length).bytes(p.data).pad4();
      if (p.comment) option(b, 1, utf8(p.comment)); // opt_comment
      if (p.direction) {
        const flags = new Uint8Array(4);
        new DataView(flags.buffer).setUint32(0, p.direction === 'inbound' ? 1 : 2, true);
        option(b, 2, flags); // epb_flags
      }
      if (p.comment || p.direction) b.u32(0);
    });
  }
  return out.result();
}
