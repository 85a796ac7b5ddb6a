/**
 * What a captured segment of bytes is: which protocol, which side sent it (when one adapter
 * hears both), and one line of meaning for the live view. Pure: bytes and context in, values out.
 *
 * Side rules on a shared line:
 * - IEC 62056-21: request, option select, commands (except the meter's P0 operand), break and
 *   wake-up come from the master; identification, readout and data from the meter; a lone ACK or
 *   NAK from whoever did not send the previous message.
 * - Modbus RTU: a frame that answers the pending request comes from the slave; else a frame
 *   that decodes as a request comes from the master.
 * - AT: lines starting with `AT` (or `A/`) come from the terminal (DTE), the rest from the module.
 */
import { fromAscii, toPrintable } from '../../core/bytes.ts';
import type { LineSettings } from '../../lines/settings.ts';
import { decodeAll, describeMessage, type DecoderEvent, type Message } from '../../protocols/iec62056-21/index.ts';
import { crcOk, decodeRequest, decodeResponse, describe as describeModbus, type RequestFrame } from '../../protocols/modbus-rtu/index.ts';

/** Protocols a sniffer decodes. */
export type SniffProtocol = 'iec' | 'modbus' | 'at';
/** Who sent a segment: the master (terminal, reader, DTE) or the device (meter, slave, module). */
export type Side = 'master' | 'device' | 'unknown';

/** Names of the two ends in traces, per protocol. */
export const SIDE_NAMES: Readonly<Record<SniffProtocol | 'unknown', Readonly<Record<Side, string>>>> = {
  iec: { master: 'reader', device: 'meter', unknown: 'unknown' },
  modbus: { master: 'master', device: 'slave', unknown: 'unknown' },
  at: { master: 'dte', device: 'dce', unknown: 'unknown' },
  unknown: { master: 'master', device: 'device', unknown: 'unknown' },
};

/** What the classifier remembers between segments of one line. */
export interface ClassifyContext {
  lastSide?: Side;
  /** The last Modbus request seen, for matching its answer. */
  pendingRequest?: RequestFrame;
}

/** A segment, understood. */
export interface Classified {
  protocol: SniffProtocol | undefined;
  side: Side;
  text: string;
  /** IEC messages decoded (frames, and the candidate of a BCC mismatch). */
  iec?: Message[];
}

const MASTER_IEC = new Set(['request', 'option-select', 'break', 'wakeup']);
const DEVICE_IEC = new Set(['identification', 'readout', 'data']);

/** Guesses the protocol of a segment: 7 data bits is IEC; a good CRC is Modbus; `AT`/result text is AT. */
export function detectProtocol(bytes: Uint8Array, settings: LineSettings): SniffProtocol | undefined {
  if (settings.dataBits === 7) return 'iec';
  if (bytes.length >= 4 && crcOk(bytes)) return 'modbus';
  if (splitModbus(bytes).length > 1) return 'modbus';
  const t = fromAscii(bytes.subarray(0, 64));
  if (/^\s*(AT|at|A\/)/.test(t) || /^\r?\n?(OK|ERROR|\+[A-Z]+:|RDY|>)/.test(t)) return 'at';
  return undefined;
}

/**
 * Offsets that cut `bytes` into Modbus frames with good CRCs (request and answer glued together
 * by adapter latency); `[bytes.length]` when no such cut exists.
 */
export function splitModbus(bytes: Uint8Array): number[] {
  if (bytes.length < 8 || crcOk(bytes)) return [bytes.length];
  for (let i = 4; i <= bytes.length - 4; i++) {
    if (crcOk(bytes, 0, i)) {
      const rest = splitModbus(bytes.subarray(i));
      if (rest.length > 1 || crcOk(bytes, i)) return [i, ...rest.map((r) => i + r)];
    }
  }
  return [bytes.length];
}

function iecMessages(events: readonly DecoderEvent[]): Message[] {
  return events.flatMap((e) => (e.type === 'frame' ? [e.frame] : e.error.details.candidate ? [e.error.details.candidate] : []));
}

function iecSide(messages: readonly Message[], bytes: Uint8Array, ctx: ClassifyContext): Side {
  const m = messages[0];
  if (m) {
    if (m.kind === 'command') return m.command === 'P' && m.type === '0' ? 'device' : 'master';
    if (MASTER_IEC.has(m.kind)) return 'master';
    if (DEVICE_IEC.has(m.kind)) return 'device';
    return ctx.lastSide === 'master' ? 'device' : ctx.lastSide === 'device' ? 'master' : 'unknown';
  }
  const first = bytes.find((b) => b !== 0);
  if (first === 0x02) return 'device';
  if (first === 0x2f) return bytes[bytes.indexOf(0x2f) + 1] === 0x3f ? 'master' : 'device';
  return 'unknown';
}

function describeIec(events: readonly DecoderEvent[]): string {
  return events.map((e) => (e.type === 'frame' ? describeMessage(e.frame) : `error (${e.error.kind}): ${e.error.message}`)).join('; ');
}

function modbusSide(bytes: Uint8Array, ctx: ClassifyContext): { side: Side; text: string; request?: RequestFrame } {
  if (ctx.pendingRequest) {
    try {
      decodeResponse(bytes, ctx.pendingRequest);
      return { side: 'device', text: describeModbus(bytes, { request: ctx.pendingRequest }) };
    } catch {
      // not the answer: maybe the next request
    }
  }
  try {
    const request = decodeRequest(bytes);
    return { side: 'master', text: describeModbus(bytes, { direction: 'request' }), request };
  } catch {
    // not a request
  }
  try {
    decodeResponse(bytes);
    return { side: 'device', text: describeModbus(bytes, { direction: 'response' }) };
  } catch {
    return { side: 'unknown', text: describeModbus(bytes) };
  }
}

function describeAt(bytes: Uint8Array): string {
  const lines = fromAscii(bytes).split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return toPrintable(bytes);
  return lines.slice(0, 6).map((l) => toPrintable(Uint8Array.from(l, (c) => c.charCodeAt(0) & 0xff))).join(' | ') + (lines.length > 6 ? ` … (+${lines.length - 6} lines)` : '');
}

/**
 * Classifies one segment. `known` is the side when the capture knows it (one adapter per
 * direction, or a relay); `protocol` the protocol when fixed. Updates `ctx`.
 */
export function classifySegment(bytes: Uint8Array, settings: LineSettings, protocol: SniffProtocol | undefined, known: Side | undefined, ctx: ClassifyContext): Classified {
  const p = protocol ?? detectProtocol(bytes, settings);
  let out: Classified;
  if (p === 'iec') {
    const events = decodeAll(bytes, { side: known === 'device' ? 'meter' : known === 'master' ? 'master' : 'auto', parity: 'strip' });
    const iec = iecMessages(events);
    const side = known ?? iecSide(iec, bytes, ctx);
    out = { protocol: p, side, text: describeIec(events) || `${bytes.length} bytes, no frame`, iec };
  } else if (p === 'modbus') {
    const m = modbusSide(bytes, ctx);
    const side = known ?? m.side;
    if (side === 'master' && m.request) ctx.pendingRequest = m.request;
    else if (side === 'master') {
      try {
        ctx.pendingRequest = decodeRequest(bytes);
      } catch {
        delete ctx.pendingRequest;
      }
    } else if (side === 'device') delete ctx.pendingRequest;
    out = { protocol: p, side, text: m.text };
  } else if (p === 'at') {
    const t = fromAscii(bytes.subarray(0, 8)).trimStart();
    const side = known ?? (/^(AT|at|A\/)/.test(t) ? 'master' : 'device');
    out = { protocol: p, side, text: describeAt(bytes) };
  } else {
    out = { protocol: undefined, side: known ?? 'unknown', text: `${bytes.length} bytes: ${toPrintable(bytes.subarray(0, 48))}${bytes.length > 48 ? '…' : ''}` };
  }
  if (out.side !== 'unknown') ctx.lastSide = out.side;
  return out;
}
