/**
 * The wire form of the known record bodies, chosen for size (see README "Data budget"):
 *
 * - `meter-reading`: compact keys; each value is a tuple `[address, value]` or
 *   `[address, value, unit]`; `readStart`/`readEnd` are ms relative to the record's `at`.
 * - `event`: compact keys `n` (name), `d` (details, free-form, untouched).
 * - other kinds: as given.
 *
 * `bodyFromWire` is lenient: what does not have the expected shape is passed on unchanged so
 * that body validation names the field.
 */
import { fromWireKeys, toWireKeys, type KeyMap } from './keys.ts';

const READING_KEYS: KeyMap = {
  port: 'p',
  meterSerial: 's',
  flag: 'f',
  identification: 'i',
  readStart: 't0',
  readEnd: 't1',
  values: 'v',
  missing: ['x', { reason: 'r', text: 't' }],
};
const EVENT_KEYS: KeyMap = { name: 'n', details: 'd' };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function relative(t: unknown, at: number): unknown {
  return typeof t === 'number' ? t - at : t;
}
function absolute(t: unknown, at: unknown): unknown {
  return typeof t === 'number' && typeof at === 'number' ? t + at : t;
}

/** A body as it goes into a RECORD payload. */
export function bodyToWire(kind: string, body: unknown, at: number): unknown {
  if (kind === 'event') return toWireKeys(body, EVENT_KEYS);
  if (kind !== 'meter-reading' || !isObj(body)) return body;
  const wire = toWireKeys(body, READING_KEYS) as Obj;
  if ('t0' in wire) wire['t0'] = relative(wire['t0'], at);
  if ('t1' in wire) wire['t1'] = relative(wire['t1'], at);
  if (Array.isArray(wire['v'])) {
    wire['v'] = wire['v'].map((v: unknown) => (isObj(v) ? (v['unit'] === undefined ? [v['address'], v['value']] : [v['address'], v['value'], v['unit']]) : v));
  }
  return wire;
}

/** A RECORD payload's body back in readable form. */
export function bodyFromWire(kind: string, wire: unknown, at: unknown): unknown {
  if (kind === 'event') return fromWireKeys(wire, EVENT_KEYS);
  if (kind !== 'meter-reading' || !isObj(wire)) return wire;
  const body = fromWireKeys(wire, READING_KEYS) as Obj;
  if ('readStart' in body) body['readStart'] = absolute(body['readStart'], at);
  if ('readEnd' in body) body['readEnd'] = absolute(body['readEnd'], at);
  if (Array.isArray(body['values'])) {
    body['values'] = body['values'].map((v: unknown) => {
      if (!Array.isArray(v) || v.length < 2 || v.length > 3) return v;
      return v.length === 3 ? { address: v[0], value: v[1], unit: v[2] } : { address: v[0], value: v[1] };
    });
  }
  return body;
}
