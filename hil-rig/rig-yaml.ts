/** Where a rig file problem is: line and column of YAML nodes, and the fields a mapping may have. */
import { isMap, isScalar, type Document, type LineCounter } from 'yaml';
import {
  EmulatedMeterSchema, EmulatedModbusSchema, EmulatedModemSchema, EmulateSchema, RigFileSchema, RigMeterSchema, RigModbusSchema,
  RigModemSchema, RigPortSchema, RigTerminalSchema,
} from './rig-schema.ts';

/** Line and column of the deepest node along `path` that the document has. */
export function positionOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): { line?: number; col?: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      const p = counter.linePos(node.range[0]);
      return { line: p.line, col: p.col };
    }
  }
  return {};
}

/** Line and column of the key `key` of the mapping at `path`, when there is one. */
export function keyPositionOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[], key: string): { line?: number; col?: number } {
  const map = doc.getIn(path as unknown[], true);
  if (!isMap(map)) return {};
  const pair = map.items.find((it) => isScalar(it.key) && it.key.value === key);
  const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
  if (!range) return {};
  const p = counter.linePos(range[0]);
  return { line: p.line, col: p.col };
}

/** The fields a mapping at `path` may have, for the "unknown field" message. */
export function knownFields(path: readonly PropertyKey[]): string {
  const last = [...path].reverse().find((p) => typeof p === 'string');
  const shapes: Record<string, readonly string[]> = {
    '': Object.keys(RigFileSchema.shape),
    ports: Object.keys(RigPortSchema.shape),
    meters: Object.keys(RigMeterSchema.shape),
    modbus: Object.keys(RigModbusSchema.shape),
    modem: Object.keys(RigModemSchema.shape),
    emulate: Object.keys(EmulateSchema.shape),
    terminal: Object.keys(RigTerminalSchema.shape),
  };
  const inEmulate = path.includes('emulate') && last !== 'emulate';
  const fields = inEmulate
    ? { meters: Object.keys(EmulatedMeterSchema.shape), modbus: Object.keys(EmulatedModbusSchema.shape), modem: Object.keys(EmulatedModemSchema.shape) }[String(last)]
    : shapes[last === undefined ? '' : String(last)];
  return fields ? fields.join(', ') : 'see the rig file format';
}
