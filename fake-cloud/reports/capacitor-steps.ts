/**
 * Capacitor steps of a modem's compensation relays over time, from their `modbus-reading`
 * records: per poll each step's state (`relay.step.N.state`, else bit N−1 of `relay.steps.mask`)
 * and power (`relay.step.N.power`, in kvar), the switched-in kvar and the measured cos φ; per
 * step over the window how often it was switched in and for what share of the time (each state
 * held until the next poll that read it; a failed poll leaves a gap, not counted).
 */
import type { ModbusReadingBody, ModbusReadingValue } from '../../protocols/uplink/records.ts';
import type { Store } from '../store/store.ts';

/** One poll of one relay: steps read (by number), or `missing` when the poll read nothing. */
export interface StepSample {
  at: number;
  steps: { n: number; on: boolean | null; kvar: number | null }[];
  /** Sum of the powers of the steps switched in (null when a switched-in step's power is unknown). */
  onKvar: number | null;
  cosphi: number | null;
  missing?: string;
}

export interface StepSummary {
  n: number;
  kvar: number | null;
  /** Off → on changes seen between polls. */
  switchOns: number;
  /** Share of the observed time the step was in, 0..1 (null: never observed). */
  onShare: number | null;
}

export interface RelaySteps {
  port: string;
  address: number;
  model: string | null;
  samples: StepSample[];
  steps: StepSummary[];
  /** True when the window held more polls than the report returns (the oldest are dropped). */
  truncated: boolean;
}

export const MAX_STEP_SAMPLES = 5000;

const STEP = /^relay\.step\.(\d{1,2})\.(state|power)$/;

/** The step series of every compensation relay of the modem (or the one at `port`/`address`). */
export function capacitorSteps(store: Store, modemNo: string, q: { from: number; to: number; port?: string | undefined; address?: number | undefined }): RelaySteps[] {
  const rows = store.db
    .prepare("SELECT at, body FROM records WHERE modem_no = ? AND kind = 'modbus-reading' AND error IS NULL AND at >= ? AND at <= ? ORDER BY at, seq")
    .all(modemNo, q.from, q.to) as { at: number; body: string }[];
  const relays = new Map<string, { port: string; address: number; model: string | null; samples: StepSample[]; total: number }>();
  for (const r of rows) {
    const b = JSON.parse(r.body) as ModbusReadingBody;
    if (b.type !== 'compensation-relay') continue;
    if (q.port !== undefined && b.port !== q.port) continue;
    if (q.address !== undefined && b.address !== q.address) continue;
    const id = `${b.port}/${b.address}`;
    let relay = relays.get(id);
    if (!relay) relays.set(id, (relay = { port: b.port, address: b.address, model: b.model ?? null, samples: [], total: 0 }));
    relay.total++;
    relay.samples.push(sample(r.at, b));
    if (relay.samples.length > MAX_STEP_SAMPLES) relay.samples.shift();
  }
  return [...relays.values()].map((r) => ({ port: r.port, address: r.address, model: r.model, samples: r.samples, steps: summarise(r.samples), truncated: r.total > r.samples.length }));
}

function sample(at: number, b: ModbusReadingBody): StepSample {
  if (!b.values?.length) return { at, steps: [], onKvar: null, cosphi: null, missing: b.missing ? `${b.missing.reason}: ${b.missing.text}` : 'no values' };
  const steps = new Map<number, { n: number; on: boolean | null; kvar: number | null }>();
  const step = (n: number) => {
    let s = steps.get(n);
    if (!s) steps.set(n, (s = { n, on: null, kvar: null }));
    return s;
  };
  let mask: number | undefined;
  let cosphi: number | null = null;
  for (const v of b.values) {
    const m = STEP.exec(v.name);
    if (m) {
      const s = step(Number(m[1]));
      if (m[2] === 'state') s.on = v.value !== 0;
      else s.kvar = kvar(v);
    } else if (v.name === 'relay.steps.mask') mask = v.value;
    else if (v.name === 'relay.cosphi.measured' || (v.name === 'cosphi.total' && cosphi === null)) cosphi = v.value;
  }
  if (mask !== undefined) {
    const known = [...steps.keys()];
    const count = Math.max(known.length ? Math.max(...known) : 0, 32 - Math.clz32(mask));
    for (let n = 1; n <= count; n++) {
      const s = step(n);
      if (s.on === null) s.on = ((mask >>> (n - 1)) & 1) === 1;
    }
  }
  const list = [...steps.values()].sort((a, c) => a.n - c.n);
  const on = list.filter((s) => s.on === true);
  const onKvar = on.some((s) => s.kvar === null) ? null : Math.round(on.reduce((a, s) => a + s.kvar!, 0) * 1000) / 1000;
  return { at, steps: list, onKvar, cosphi, ...(b.missing ? { missing: `${b.missing.reason}: ${b.missing.text}` } : {}) };
}

function kvar(v: ModbusReadingValue): number {
  const f = v.unit === 'var' ? 0.001 : v.unit === 'Mvar' ? 1000 : 1;
  return Math.round(v.value * f * 1000) / 1000;
}

function summarise(samples: StepSample[]): StepSummary[] {
  const acc = new Map<number, { kvar: number | null; switchOns: number; onMs: number; seenMs: number; last: boolean | null }>();
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    const next = samples[i + 1];
    const held = next && !next.missing && !s.missing ? next.at - s.at : 0;
    for (const st of s.steps) {
      let a = acc.get(st.n);
      if (!a) acc.set(st.n, (a = { kvar: null, switchOns: 0, onMs: 0, seenMs: 0, last: null }));
      if (st.kvar !== null) a.kvar = st.kvar;
      if (st.on === null) continue;
      if (st.on && a.last === false) a.switchOns++;
      a.last = st.on;
      a.seenMs += held;
      if (st.on) a.onMs += held;
    }
    if (s.missing && !s.steps.length) for (const a of acc.values()) a.last = null;
  }
  return [...acc.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([n, a]) => ({ n, kvar: a.kvar, switchOns: a.switchOns, onShare: a.seenMs > 0 ? Math.round((a.onMs / a.seenMs) * 1000) / 1000 : null }));
}
