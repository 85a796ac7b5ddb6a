/**
 * Wireshark's "exported PDU" header (link type LINKTYPE_WIRESHARK_UPPER_PDU, 252): a list of
 * TLVs in front of the payload that names the dissector Wireshark hands the payload to, plus
 * optional column texts and the direction. Layout (all big-endian):
 *
 *   +--------+--------+------------------------------+
 *   | tag u16| len u16| value, NUL-padded to 4 bytes | … repeated …
 *   +--------+--------+------------------------------+
 *   | 0x0000 | 0x0000 |  (end of options)            |
 *   +--------+--------+------------------------------+
 *   | payload (the serial bytes)                     |
 *   +------------------------------------------------+
 *
 * `len` counts the padding; string readers stop at the first NUL (wsutil/exported_pdu_tlvs.h).
 */

/** The pcap link type whose packets start with an exported-PDU header. */
export const LINKTYPE_WIRESHARK_UPPER_PDU = 252;

/** Tag numbers from wsutil/exported_pdu_tlvs.h. */
export const EXP_PDU_TAG = {
  END_OF_OPT: 0,
  DISSECTOR_NAME: 12,
  COL_PROT_TEXT: 33,
  P2P_DIRECTION: 35,
  COL_INFO_TEXT: 36,
} as const;

/** What one packet of an exported-PDU capture says about its payload. */
export interface ExportedPdu {
  /** Registered Wireshark dissector name: `mbrtu`, `at`, `data`. */
  dissector: string;
  /** Protocol column text (for payloads Wireshark has no dissector for). */
  protocol?: string;
  /** Info column text (shown by Wireshark versions that know tag 36; older ones skip it). */
  info?: string;
  /** P2P direction: `sent` (0) or `received` (1), from the point of view of the device under test. */
  direction?: 'sent' | 'received';
  payload: Uint8Array;
}

const MAX_TEXT = 1024;

function tlv(tag: number, value: Uint8Array): Uint8Array {
  const padded = (value.length + 3) & ~3;
  const out = new Uint8Array(4 + padded);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag);
  view.setUint16(2, padded);
  out.set(value, 4);
  return out;
}

function text(s: string): Uint8Array {
  return new TextEncoder().encode(s.length > MAX_TEXT ? s.slice(0, MAX_TEXT - 1) + '…' : s);
}

/** The packet bytes: the TLV header (dissector name first, end-of-options last) and the payload. */
export function exportedPdu(p: ExportedPdu): Uint8Array {
  const parts = [tlv(EXP_PDU_TAG.DISSECTOR_NAME, text(p.dissector))];
  if (p.protocol) parts.push(tlv(EXP_PDU_TAG.COL_PROT_TEXT, text(p.protocol)));
  if (p.info) parts.push(tlv(EXP_PDU_TAG.COL_INFO_TEXT, text(p.info)));
  if (p.direction) {
    const v = new Uint8Array(4);
    new DataView(v.buffer).setUint32(0, p.direction === 'sent' ? 0 : 1);
    parts.push(tlv(EXP_PDU_TAG.P2P_DIRECTION, v));
  }
  parts.push(new Uint8Array(4), p.payload);
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) {
    out.set(x, o);
    o += x.length;
  }
  return out;
}
