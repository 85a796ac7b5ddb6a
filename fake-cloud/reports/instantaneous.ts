/**
 * The latest instantaneous electrical values of a modem's site: from each meter's last readout
 * (OBIS `32.7.0` voltage L1, `31.7.0` current L1, `33.7.0` power factor L1, …) and from each
 * Modbus device's last `modbus-reading` record with values (analyzers, energy meters,
 * compensation relays: `voltage.l1`, `current.l1`, `pf.l1`, `cosphi.l1`, `power.active.total`,
 * …). Per phase where the source has it; powers in kW, voltages in V, currents in A.
 */
import type { ModbusReadingBody } from '../../protocols/uplink/records.ts';
import type { Store } from '../store/store.ts';

/** OBIS codes of instantaneous values and the quantity each is (IEC 62056-61 value groups C.D). */
export const METER_INSTANT_OBIS: Readonly<Record<string, string>> = {
  '32.7.0': 'voltage.l1',
  '52.7.0': 'voltage.l2',
  '72.7.0': 'voltage.l3',
  '31.7.0': 'current.l1',
  '51.7.0': 'current.l2',
  '71.7.0': 'current.l3',
  '91.7.0': 'current.n',
  '13.7.0': 'pf.total',
  '33.7.0': 'pf.l1',
  '53.7.0': 'pf.l2',
  '73.7.0': 'pf.l3',
  '14.7.0': 'frequency',
  '34.7.0': 'frequency.l1',
  '54.7.0': 'frequency.l2',
  '74.7.0': 'frequency.l3',
  '1.7.0': 'power.active.total',
  '16.7.0': 'power.active.total',
  '21.7.0': 'power.active.l1',
  '41.7.0': 'power.active.l2',
  '61.7.0': 'power.active.l3',
  '3.7.0': 'power.reactive.total',
};

const MODBUS_INSTANT = /^(voltage\.(l1|l2|l3|l12|l23|l31)|current\.(l1|l2|l3|n)|pf\.(l1|l2|l3|total)|cosphi\.(l1|l2|l3|total)|power\.(active|reactive|apparent)\.(l1|l2|l3|total)|frequency|thd\.(voltage|current)\.(l1|l2|l3)|relay\.cosphi\.(measured|target))$/;

/** One value: quantity name, number in the normalised unit, that unit, and the text as sent (meters). */
export interface InstantValue {
  name: string;
  value: number;
  unit: string | null;
  sent?: string;
}

/** Voltage, current, power factor (or cos φ) and active power of one phase, where known. */
export interface PhaseValues {
  voltage?: number;
  current?: number;
  pf?: number;
  powerKw?: number;
}

export interface InstantSource {
  source: 'meter' | 'modbus';
  /** Meter serial, or `rs485/17` for a Modbus device. */
  id: string;
  type: string;
  model: string | null;
  at: number;
  ageMs: number;
  values: InstantValue[];
  phases: { l1: PhaseValues; l2: PhaseValues; l3: PhaseValues; total: PhaseValues & { frequency?: number } };
}

/** The latest values of every meter (or the one named) and every Modbus device of the modem. */
export function instantaneous(store: Store, modemNo: string, meters: string[], now: number): InstantSource[] {
  const out: InstantSource[] = [];
  const obis = Object.keys(METER_INSTANT_OBIS);
  for (const serial of meters) {
    let latest = -1;
    for (const a of obis) {
      const r = store.db.prepare('SELECT MAX(at) AS at FROM readings WHERE modem_no = ? AND meter_serial = ? AND address = ?').get(modemNo, serial, a) as { at: number | null };
      if (r.at !== null && r.at > latest) latest = r.at;
    }
    if (latest < 0) continue;
    const rows = store.db.prepare('SELECT address, value, unit FROM readings WHERE modem_no = ? AND at = ? AND meter_serial = ? ORDER BY id').all(modemNo, latest, serial) as { address: string; value: string; unit: string | null }[];
    const values: InstantValue[] = [];
    for (const r of rows) {
      const name = METER_INSTANT_OBIS[r.address];
      const n = Number(r.value.trim());
      if (name === undefined || r.value.trim() === '' || !Number.isFinite(n)) continue;
      values.push({ ...normalise(name, n, r.unit), sent: r.value });
    }
    out.push({ source: 'meter', id: serial, type: 'meter', model: null, at: latest, ageMs: now - latest, values, phases: phases(values) });
  }
  // The last record with values of each Modbus device, newest first until every device is seen.
  const seen = new Set<string>();
  const recent = store.db
    .prepare("SELECT at, body FROM records WHERE modem_no = ? AND kind = 'modbus-reading' AND error IS NULL ORDER BY at DESC, seq DESC LIMIT 2000")
    .all(modemNo) as { at: number; body: string }[];
  for (const r of recent) {
    const b = JSON.parse(r.body) as ModbusReadingBody;
    const id = `${b.port}/${b.address}`;
    if (seen.has(id) || !b.values?.length) continue;
    seen.add(id);
    const values = b.values.filter((v) => MODBUS_INSTANT.test(v.name)).map((v) => normalise(v.name, v.value, v.unit ?? null));
    out.push({ source: 'modbus', id, type: b.type, model: b.model ?? null, at: r.at, ageMs: now - r.at, values, phases: phases(values) });
  }
  return out;
}

/** Powers to kW, currents to A, voltages to V; other values as they are. */
function normalise(name: string, value: number, unit: string | null): InstantValue {
  const u = unit ?? '';
  const factor: Record<string, number> = { W: 0.001, var: 0.001, VA: 0.001, kW: 1, kvar: 1, kVAr: 1, kVA: 1, MW: 1000, mA: 0.001, kV: 1000 };
  if (name.startsWith('power.')) {
    const f = factor[u] ?? 1;
    const k = name.startsWith('power.active') ? 'kW' : name.startsWith('power.reactive') ? 'kvar' : 'kVA';
    return { name, value: round3(value * f), unit: k };
  }
  if ((name.startsWith('current.') && u === 'mA') || (name.startsWith('voltage.') && u === 'kV')) return { name, value: round3(value * factor[u]!), unit: name.startsWith('current.') ? 'A' : 'V' };
  return { name, value, unit: unit ?? null };
}

function phases(values: InstantValue[]): InstantSource['phases'] {
  const get = (n: string) => values.find((v) => v.name === n)?.value;
  const phase = (p: string): PhaseValues => {
    const o: PhaseValues = {};
    const v = get(`voltage.${p}`);
    const c = get(`current.${p}`);
    const pf = get(`pf.${p}`) ?? get(`cosphi.${p}`);
    const kw = get(`power.active.${p}`);
    if (v !== undefined) o.voltage = v;
    if (c !== undefined) o.current = c;
    if (pf !== undefined) o.pf = pf;
    if (kw !== undefined) o.powerKw = kw;
    return o;
  };
  const total: PhaseValues & { frequency?: number } = phase('total');
  const f = get('frequency');
  if (f !== undefined) total.frequency = f;
  return { l1: phase('l1'), l2: phase('l2'), l3: phase('l3'), total };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
