/**
 * Messages to frames and back. Encoding checks the message against its field rules (a terminal
 * or cloud bug shows up at the sender); decoding checks the payload and names the faulty field.
 */
import { encodeFrame, DEFAULT_MAX_PAYLOAD, type RawFrame } from './frame.ts';
import { UplinkError } from './errors.ts';
import { fromWireKeys, toWireKeys } from './keys.ts';
import { MESSAGE_KEYS, MESSAGE_SCHEMAS, type UplinkMessage } from './messages.ts';
import { zodToUplinkError } from './records.ts';
import { bodyFromWire, bodyToWire } from './body-wire.ts';
import { PayloadWindow } from './compression.ts';

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

/**
 * The message as a frame. Throws `UplinkError` ('invalid-field', 'oversize') for a bad message.
 * With a `window` (compression agreed), the payload goes compressed when that is shorter, and
 * joins the window either way.
 */
export function encodeMessage(message: UplinkMessage, maxPayload = DEFAULT_MAX_PAYLOAD, window?: PayloadWindow): Uint8Array {
  const { type, ...fields } = message;
  const schema = MESSAGE_SCHEMAS[type];
  if (!schema) throw new UplinkError('invalid-field', `cannot encode: unknown message type '${String(type)}'`, { field: 'type' });
  const r = schema.safeParse(fields);
  if (!r.success) throw zodToUplinkError(r.error, '', `cannot encode ${type.toUpperCase()}`);
  const wire = toWireKeys(fields, MESSAGE_KEYS[type]) as Record<string, unknown>;
  if (message.type === 'record') wire['b'] = bodyToWire(message.kind, message.body, message.at);
  const payload = utf8.encode(JSON.stringify(wire));
  if (!window) return encodeFrame(type, payload, maxPayload);
  if (payload.length > maxPayload) return encodeFrame(type, payload, maxPayload); // throws 'oversize'
  const packed = window.compress(payload);
  window.remember(payload);
  return packed ? encodeFrame(type, packed, maxPayload, true) : encodeFrame(type, payload, maxPayload);
}

/** Encodes a session's messages in order, compressing once `startCompression` was called. */
export class UplinkEncoder {
  private window: PayloadWindow | undefined;

  constructor(private readonly maxPayload = DEFAULT_MAX_PAYLOAD) {}

  /** Whether frames may go compressed from now on. */
  get compressing(): boolean {
    return this.window !== undefined;
  }

  /** Compression was agreed: frames encoded from now on share a window. */
  startCompression(): void {
    this.window ??= new PayloadWindow();
  }

  encode(message: UplinkMessage): Uint8Array {
    return encodeMessage(message, this.maxPayload, this.window);
  }
}

/** The message a good frame carries. Throws `UplinkError` ('bad-payload', 'invalid-field'). */
export function decodeFrame(frame: RawFrame): UplinkMessage {
  const what = `${frame.type.toUpperCase()} at offset ${frame.offset}`;
  let parsed: unknown;
  if (frame.payload.length === 0) parsed = {};
  else {
    let text: string;
    try {
      text = utf8Strict.decode(frame.payload);
    } catch {
      throw new UplinkError('bad-payload', `${what}: payload is not valid UTF-8`, { offset: frame.offset });
    }
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new UplinkError('bad-payload', `${what}: payload is not JSON (${err instanceof Error ? err.message : String(err)})`, { offset: frame.offset });
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UplinkError('bad-payload', `${what}: payload must be a JSON object, got ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed}`, {
      offset: frame.offset,
    });
  }
  const fields = fromWireKeys(parsed, MESSAGE_KEYS[frame.type]) as Record<string, unknown>;
  if (frame.type === 'record' && typeof fields['kind'] === 'string') fields['body'] = bodyFromWire(fields['kind'], fields['body'], fields['at']);
  const r = MESSAGE_SCHEMAS[frame.type].safeParse(fields);
  if (!r.success) throw zodToUplinkError(r.error, '', frame.type.toUpperCase(), frame.offset);
  return { type: frame.type, ...(r.data as object) } as UplinkMessage;
}
