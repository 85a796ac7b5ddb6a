/**
 * What an emulated meter measures and remembers, on the clock: energy registers per tariff that
 * integrate the site load exactly, maximum and average demand, instantaneous values, its own
 * clock (with drift), outage log, billing history and the load profile. The protocol engine
 * renders these values; this file knows nothing of bytes.
 */
import { integrate, type LoadSample, type SiteLoad } from '../site/load.ts';
import type { QuantityName } from './quantities.ts';
import { tariffAt, TURKISH_THREE_RATE, type Tariff, type TariffSwitch } from './tariff.ts';

/** A value as the engine renders it: numbers, text, a time (meter-local ms), or an interval. */
export type MeterValue = number | string | { time: number } | { start: number; end: number };

export interface MeterStateOptions {
  serial: string;
  load: SiteLoad;
  /** When the registers start (clock ms); they hold `initialKwh` then. */
  start: number;
  /** Opening value of the import register (kWh); other registers start at fractions of it. */
  initialKwh?: number;
  /** Minutes east of UTC of the meter's local time (Turkey: 180). */
  utcOffsetMin?: number;
  tariffs?: readonly TariffSwitch[];
  demandPeriodMin?: number;
  loadProfilePeriodMin?: number;
  /** Load profile entries kept (default: 40 days of 15-minute entries). */
  loadProfileDepth?: number;
  firmware?: string;
  /** Billing periods kept for `*n` history lines. */
  billingDepth?: number;
}

/** One load profile entry: meter-local time at the end of the period, status, channel values. */
export interface LoadProfileEntry {
  /** Meter-local time of the end of the period (ms). */
  at: number;
  status: number;
  /** Values by quantity name. */
  values: Map<QuantityName, number>;
}

const ENERGY_FAMILIES = ['energy.import', 'energy.export', 'energy.reactive.import', 'energy.reactive.export', 'energy.reactive.inductive', 'energy.reactive.q2', 'energy.reactive.q3', 'energy.reactive.capacitive'] as const;
type EnergyFamily = (typeof ENERGY_FAMILIES)[number];
const TARIFFS: readonly Tariff[] = ['t1', 't2', 't3', 't4'];

interface Snapshot {
  at: number;
  values: Map<string, MeterValue>;
}

export class MeterState {
  readonly serial: string;
  readonly utcOffsetMin: number;
  readonly demandPeriodMs: number;
  readonly loadProfilePeriodMs: number;
  firmware: string;
  /** Clock error: offset (ms) at `driftFrom`, growing by `driftPpm`. */
  private clockOffsetMs = 0;
  private driftPpm = 0;
  private driftFrom = 0;
  private readonly energy = new Map<string, number>(); // kWh / kvarh by quantity name
  private readonly maxDemand = new Map<string, { kw: number; at: number }>();
  private lastAverage = { imp: 0, exp: 0, ind: 0, cap: 0 };
  private window = { imp: 0, exp: 0, ind: 0, cap: 0 }; // Wh / varh in the current demand period
  private profileWindow = { imp: 0, exp: 0, ind: 0, cap: 0 };
  private updatedTo: number;
  private readonly tariffs: readonly TariffSwitch[];
  private readonly load: SiteLoad;
  readonly loadProfile: LoadProfileEntry[] = [];
  private readonly loadProfileDepth: number;
  private readonly billing: Snapshot[] = [];
  private readonly billingDepth: number;
  private billingResets = 0;
  private lastBillingMonth: number;
  readonly outages: { start: number; end?: number }[] = [];
  status = 0n;
  /** Channel quantities the load profile records. */
  profileChannels: QuantityName[] = ['energy.import.total', 'energy.reactive.inductive.total', 'energy.reactive.capacitive.total'];
  powered = true;

  constructor(o: MeterStateOptions) {
    this.serial = o.serial;
    this.load = o.load;
    this.utcOffsetMin = o.utcOffsetMin ?? 180;
    this.tariffs = o.tariffs ?? TURKISH_THREE_RATE;
    this.demandPeriodMs = (o.demandPeriodMin ?? 15) * 60_000;
    this.loadProfilePeriodMs = (o.loadProfilePeriodMin ?? 15) * 60_000;
    this.loadProfileDepth = o.loadProfileDepth ?? 40 * 96;
    this.billingDepth = o.billingDepth ?? 12;
    this.firmware = o.firmware ?? '1.00';
    this.updatedTo = o.start;
    this.lastBillingMonth = this.localMonth(o.start);
    const base = o.initialKwh ?? 0;
    const split: Record<Tariff, number> = { t1: 0.55, t2: 0.2, t3: 0.25, t4: 0 };
    const opening: Record<EnergyFamily, number> = {
      'energy.import': base,
      'energy.export': 0,
      'energy.reactive.import': base * 0.3,
      'energy.reactive.export': base * 0.02,
      'energy.reactive.inductive': base * 0.3,
      'energy.reactive.q2': 0,
      'energy.reactive.q3': 0,
      'energy.reactive.capacitive': base * 0.02,
    };
    for (const f of ENERGY_FAMILIES) {
      let total = 0;
      for (const t of TARIFFS) {
        const v = Math.round(opening[f] * split[t] * 1000) / 1000;
        this.energy.set(`${f}.${t}`, v);
        total += v;
      }
      this.energy.set(`${f}.total`, Math.round(total * 1000) / 1000);
    }
  }

  /** Sets the meter clock error: `offsetMs` now, drifting by `ppm` from now on. */
  setClockError(now: number, offsetMs: number, ppm = 0): void {
    this.clockOffsetMs = offsetMs;
    this.driftPpm = ppm;
    this.driftFrom = now;
  }

  /** Meter-local time (ms, as if UTC) for true clock time `t`. */
  localTime(t: number): number {
    return t + this.clockOffsetMs + ((t - this.driftFrom) * this.driftPpm) / 1e6 + this.utcOffsetMin * 60_000;
  }

  /** The meter's own notion of epoch time (true time plus its error). */
  meterEpoch(t: number): number {
    return this.localTime(t) - this.utcOffsetMin * 60_000;
  }

  /** Integrates the load up to `t` (a no-op for times already covered). */
  advanceTo(t: number): void {
    if (t <= this.updatedTo) return;
    if (!this.powered) {
      this.updatedTo = t;
      return;
    }
    integrate(this.load, this.updatedTo, t, (start, ms, s) => this.accumulate(start, ms, s));
    this.updatedTo = t;
  }

  /** Mains on or off at `t`: an unpowered meter measures nothing and logs the outage. */
  setPowered(t: number, on: boolean): void {
    this.advanceTo(t);
    if (on === this.powered) return;
    this.powered = on;
    if (!on) this.outages.push({ start: this.meterEpoch(t) });
    else {
      const last = this.outages[this.outages.length - 1];
      if (last && last.end === undefined) last.end = this.meterEpoch(t);
    }
  }

  /** The instantaneous sample at `t` (what the meter's front end measures now). */
  sample(t: number): LoadSample {
    return this.load.at(t);
  }

  /** The current value of a quantity at time `t` (registers integrated up to `t`). */
  value(name: QuantityName, t: number): MeterValue | undefined {
    this.advanceTo(t);
    const e = this.energy.get(name);
    if (e !== undefined) return e;
    const s = this.powered ? this.sample(t) : undefined;
    const phase = (n: string) => n.slice(-2) as 'l1' | 'l2' | 'l3';
    switch (name) {
      case 'meter.serial':
        return this.serial;
      case 'meter.serial.secondary':
        return this.serial;
      case 'firmware.version':
        return this.firmware;
      case 'meter.date':
      case 'meter.time':
        return { time: this.meterEpoch(t) };
      case 'meter.weekday': {
        const d = new Date(this.localTime(t)).getUTCDay();
        return d === 0 ? 7 : d;
      }
      case 'meter.status':
        return this.status.toString(16).toUpperCase().padStart(8, '0');
      case 'meter.status.secondary':
        return '00000000';
      case 'battery.status':
        return 1;
      case 'demand.period':
        return this.demandPeriodMs / 60_000;
      case 'loadProfile.period':
        return this.loadProfilePeriodMs / 60_000;
      case 'demand.average.import':
        return round(this.lastAverage.imp / 1000, 3);
      case 'demand.average.export':
        return round(this.lastAverage.exp / 1000, 3);
      case 'demand.average.reactive.inductive':
        return round(this.lastAverage.ind / 1000, 3);
      case 'demand.average.reactive.capacitive':
        return round(this.lastAverage.cap / 1000, 3);
      case 'demand.cumulative.import':
        return 0;
      case 'billing.reset.count':
        return this.billingResets;
      case 'billing.reset.at':
        return this.billing.length ? { time: this.billing[this.billing.length - 1]!.at } : { time: this.meterEpoch(t) };
      case 'tariff.lastChange':
        return { time: this.meterEpoch(this.driftFrom) - 86_400_000 * 30 };
      case 'outage.count':
      case 'outage.count.l1':
      case 'outage.count.l2':
      case 'outage.count.l3':
        return this.outages.length;
      case 'outage.interval':
      case 'outage.interval.l1':
      case 'outage.interval.l2':
      case 'outage.interval.l3': {
        const last = this.outages[this.outages.length - 1];
        return last ? { start: last.start, end: last.end ?? last.start } : { start: 0, end: 0 };
      }
      case 'outage.last.start':
        return { time: this.outages[this.outages.length - 1]?.start ?? 0 };
      case 'outage.last.end':
        return { time: this.outages[this.outages.length - 1]?.end ?? 0 };
      case 'warning.voltage.count':
      case 'warning.current.count':
      case 'warning.magnetic.count':
      case 'cover.terminal.count':
        return 0;
      case 'warning.voltage.interval':
      case 'warning.current.interval':
      case 'warning.magnetic.interval':
        return { start: 0, end: 0 };
      case 'cover.top.last':
      case 'cover.terminal.last':
      case 'meter.productionDate':
      case 'meter.calibrationDate':
        return { time: Date.UTC(2024, 2, 11) };
    }
    if (name.startsWith('demand.max.')) {
      const isAt = name.endsWith('.at');
      const key = isAt ? name.slice(0, -3) : name;
      const m = this.maxDemand.get(key);
      return isAt ? { time: m?.at ?? 0 } : round(m?.kw ?? 0, 3);
    }
    if (!s) return 0;
    if (name === 'power.active.total') return round(Math.max(0, s.p.l1 + s.p.l2 + s.p.l3) / 1000, 3);
    if (name === 'power.active.export.total') return round(Math.max(0, -(s.p.l1 + s.p.l2 + s.p.l3)) / 1000, 3);
    if (name === 'power.reactive.total') return round((s.q.l1 + s.q.l2 + s.q.l3) / 1000, 3);
    if (name === 'frequency' || name.startsWith('frequency.')) return s.f;
    if (name === 'pf.total') return powerFactor(s.p.l1 + s.p.l2 + s.p.l3, s.q.l1 + s.q.l2 + s.q.l3);
    const ph = phase(name);
    if (name.startsWith('power.active.export.')) return round(Math.max(0, -s.p[ph]) / 1000, 3);
    if (name.startsWith('power.active.')) return round(Math.max(0, s.p[ph]) / 1000, 3);
    if (name.startsWith('power.reactive.')) return round(s.q[ph] / 1000, 3);
    if (name.startsWith('voltage.')) return s.v[ph];
    if (name.startsWith('current.')) return s.v[ph] > 0 ? round(Math.hypot(s.p[ph], s.q[ph]) / s.v[ph], 3) : 0;
    if (name.startsWith('pf.')) return powerFactor(s.p[ph], s.q[ph]);
    return undefined;
  }

  /**
   * The value of a quantity `back` entries ago: for event logs (outages, warnings) the `back`-th
   * latest event; for registers the value at the end of the `back`-th latest billing period.
   */
  historyValue(name: QuantityName, back: number): MeterValue | undefined {
    if (name.startsWith('outage.interval')) {
      const o = this.outages[this.outages.length - back];
      return o ? { start: o.start, end: o.end ?? o.start } : { start: 0, end: 0 };
    }
    if (name.endsWith('.interval')) return { start: 0, end: 0 };
    const snap = this.billing[this.billing.length - back];
    if (name === 'billing.reset.at') return snap ? { time: snap.at } : { time: 0 };
    return snap?.values.get(name);
  }

  /** Billing periods closed so far (for `*n` lines). */
  get billingPeriods(): number {
    return this.billing.length;
  }

  private accumulate(start: number, ms: number, s: LoadSample): void {
    this.checkBilling(start);
    const hours = ms / 3_600_000;
    const p = s.p.l1 + s.p.l2 + s.p.l3;
    const q = s.q.l1 + s.q.l2 + s.q.l3;
    const local = this.localTime(start);
    const minute = Math.floor((local % 86_400_000) / 60_000);
    const tariff = tariffAt(this.tariffs, minute);
    const add = (family: EnergyFamily, wh: number) => {
      if (wh <= 0) return;
      const kwh = wh / 1000;
      this.energy.set(`${family}.${tariff}`, this.energy.get(`${family}.${tariff}`)! + kwh);
      this.energy.set(`${family}.total`, this.energy.get(`${family}.total`)! + kwh);
    };
    const imp = Math.max(0, p) * hours;
    const exp = Math.max(0, -p) * hours;
    const ind = p >= 0 ? Math.max(0, q) * hours : 0; // quadrant I
    const cap = p >= 0 ? Math.max(0, -q) * hours : 0; // quadrant IV
    add('energy.import', imp);
    add('energy.export', exp);
    add('energy.reactive.import', Math.max(0, q) * hours);
    add('energy.reactive.export', Math.max(0, -q) * hours);
    add('energy.reactive.inductive', ind);
    add('energy.reactive.capacitive', cap);
    add('energy.reactive.q2', p < 0 ? Math.max(0, q) * hours : 0);
    add('energy.reactive.q3', p < 0 ? Math.max(0, -q) * hours : 0);
    for (const w of [this.window, this.profileWindow]) {
      w.imp += imp;
      w.exp += exp;
      w.ind += ind;
      w.cap += cap;
    }
    const end = start + ms;
    if (end % this.demandPeriodMs === 0) this.closeDemandPeriod(end, tariff);
    if (end % this.loadProfilePeriodMs === 0) this.captureProfile(end);
  }

  private closeDemandPeriod(end: number, tariff: Tariff): void {
    const h = this.demandPeriodMs / 3_600_000;
    this.lastAverage = { imp: this.window.imp / h, exp: this.window.exp / h, ind: this.window.ind / h, cap: this.window.cap / h };
    this.window = { imp: 0, exp: 0, ind: 0, cap: 0 };
    const at = this.meterEpoch(end);
    for (const [dir, w] of [['import', this.lastAverage.imp], ['export', this.lastAverage.exp]] as const) {
      const kw = w / 1000;
      for (const key of [`demand.max.${dir}`, `demand.max.${dir}.${tariff}`]) {
        const cur = this.maxDemand.get(key);
        if (!cur || kw > cur.kw) this.maxDemand.set(key, { kw, at });
      }
    }
  }

  private captureProfile(end: number): void {
    const h = this.loadProfilePeriodMs / 3_600_000;
    const avg = { imp: this.profileWindow.imp / h, exp: this.profileWindow.exp / h, ind: this.profileWindow.ind / h, cap: this.profileWindow.cap / h };
    this.profileWindow = { imp: 0, exp: 0, ind: 0, cap: 0 };
    const values = new Map<QuantityName, number>();
    for (const c of this.profileChannels) {
      const e = this.energy.get(c);
      if (e !== undefined) values.set(c, round(e, 3));
      else if (c === 'demand.average.import') values.set(c, round(avg.imp / 1000, 3));
      else if (c === 'demand.average.export') values.set(c, round(avg.exp / 1000, 3));
      else if (c === 'demand.average.reactive.inductive') values.set(c, round(avg.ind / 1000, 3));
      else if (c === 'demand.average.reactive.capacitive') values.set(c, round(avg.cap / 1000, 3));
    }
    this.loadProfile.push({ at: this.meterEpoch(end), status: 0, values });
    if (this.loadProfile.length > this.loadProfileDepth) this.loadProfile.splice(0, this.loadProfile.length - this.loadProfileDepth);
  }

  private localMonth(t: number): number {
    const d = new Date(this.localTime(t));
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  }

  /** Closes a billing period at local midnight of the 1st of each month. */
  private checkBilling(t: number): void {
    const month = this.localMonth(t);
    if (month === this.lastBillingMonth) return;
    this.lastBillingMonth = month;
    const values = new Map<string, MeterValue>();
    for (const [k, v] of this.energy) values.set(k, round(v, 3));
    for (const [k, v] of this.maxDemand) {
      values.set(k, round(v.kw, 3));
      values.set(`${k}.at`, { time: v.at });
    }
    this.billing.push({ at: this.meterEpoch(t), values });
    if (this.billing.length > this.billingDepth) this.billing.shift();
    this.billingResets++;
    this.maxDemand.clear();
  }
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function powerFactor(p: number, q: number): number {
  const s = Math.hypot(p, q);
  return s === 0 ? 1 : round(Math.abs(p) / s, 3);
}
