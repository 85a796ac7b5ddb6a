/**
 * Compact wire keys. Code works with readable field names (`meterSerial`); the wire carries short
 * keys (`s`) to keep a month of readings within a small SIM data plan. A `KeyMap` names the short
 * key of each readable field, and for nested objects (or arrays of objects) the map of their
 * fields. Keys a map does not name pass through unchanged (free-form `details`, open kinds).
 */

export interface KeyMap {
  readonly [readable: string]: string | readonly [short: string, nested: KeyMap];
}

interface Compiled {
  out: Map<string, { key: string; nested: Compiled | undefined }>;
}

const cache = new WeakMap<KeyMap, { toWire: Compiled; fromWire: Compiled }>();

function compile(map: KeyMap): { toWire: Compiled; fromWire: Compiled } {
  let c = cache.get(map);
  if (c) return c;
  const toWire: Compiled = { out: new Map() };
  const fromWire: Compiled = { out: new Map() };
  c = { toWire, fromWire };
  cache.set(map, c);
  for (const [readable, spec] of Object.entries(map)) {
    if (typeof spec === 'string') {
      toWire.out.set(readable, { key: spec, nested: undefined });
      fromWire.out.set(spec, { key: readable, nested: undefined });
    } else {
      const inner = compile(spec[1]);
      toWire.out.set(readable, { key: spec[0], nested: inner.toWire });
      fromWire.out.set(spec[0], { key: readable, nested: inner.fromWire });
    }
  }
  return c;
}

function translate(value: unknown, table: Compiled, inArray = false): unknown {
  // One level of array (a list of objects); deeper arrays are not part of any layout.
  if (Array.isArray(value)) return inArray ? value : value.map((v) => translate(v, table, true));
  if (value === null || typeof value !== 'object') return value;
  // fromEntries defines own properties, so a key such as `__proto__` stays plain data.
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => {
      const t = table.out.get(k);
      return t ? [t.key, t.nested ? translate(v, t.nested) : v] : [k, v];
    }),
  );
}

/** Readable names to wire keys (arrays of objects are translated element by element). */
export function toWireKeys(value: unknown, map: KeyMap): unknown {
  return translate(value, compile(map).toWire);
}

/** Wire keys back to readable names. */
export function fromWireKeys(value: unknown, map: KeyMap): unknown {
  return translate(value, compile(map).fromWire);
}
