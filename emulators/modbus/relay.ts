/**
 * A compensation relay's behaviour on the clock. It measures the site through its current
 * transformer, upstream of the capacitor bank (a `CompensatedLoad`), and switches the bank's steps
 * to keep cos φ in the target band (rule and step choice: `relay-control.ts`).
 *
 * Timing, as relays of this class do it:
 * - a step switches only after the site has been out of band, on the same side, for the switch
 *   delay, and at least the switch delay after the previous switching; one step at a time;
 * - a step that went out may switch in again only after its discharge time;
 * - the relay wakes when the load may change (each load step), when a delay or discharge time
 *   ends, and when an alarm delay runs out; it sets no periodic tick.
 *
 * Step recognition: a relay measures the change of Q around each switching (a few cycles either
 * side, so load changes do not disturb it). Less than half the expected change marks the step
 * faulty (step-fault alarm), switches it out and leaves it unused for `retestAfterS`; otherwise the
 * measured power becomes the step's learned power (`relay.step.N.power`).
 *
 * Alarms: over-compensation (too capacitive with every step out) and under-compensation (too
 * inductive with every usable step in) after `alarmDelayS`; step fault; over-voltage (mean phase
 * voltage above `overVoltage` × Vn: every step switches out at once and stays out) and
 * under-voltage (below `underVoltage` × Vn; below half of Vn the contactors drop out); panel
 * over-temperature; voltage THD above `thdLimit`.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import type { CompensatedLoad } from '../site/compensated-load.ts';
import type { DeviceModel } from './device-model.ts';
import { electricalValue, meanVoltage, readSample, signedCosPhi, type Reading } from './electrical.ts';
import { COUNTER_OF, EnergyCounters, type EnergyTotals } from './energy-counters.ts';
import { cosPhiAngleDeg, type RelayBehaviour } from './profile-schema.ts';
import { relayStepOf, type QuantityName, type RelayAlarm } from './quantities.ts';
import { RelayAlarms } from './relay-alarms.ts';
import { bandAt, bandState, decide, type BandState, type StepView } from './relay-control.ts';

export interface RelayModelOptions {
  clock: Clock;
  /** The site upstream of the bank; its `bank` is what the relay switches. */
  load: CompensatedLoad;
  behaviour: RelayBehaviour;
  /** When the energy counters start (default: now). */
  start?: number;
  initialEnergy?: Partial<EnergyTotals>;
  utcOffsetMin?: number;
  /** Over-voltage limit as a multiple of the bank's rated voltage (default 1.1). */
  overVoltage?: number;
  /** Under-voltage limit (default 0.85). */
  underVoltage?: number;
  /** How long over- or under-compensation must last before its alarm (s, default 60). */
  alarmDelayS?: number;
  /** How long a faulty step stays unused before it is tried again (s, default 3600). */
  retestAfterS?: number;
  /** Panel temperature without load (°C, default 25); each switched-in kvar adds 0.1 °C. */
  ambientC?: number;
  /** Over-temperature limit (°C, default 55). */
  temperatureLimitC?: number;
  /** Voltage THD alarm limit (%, default 8). */
  thdLimit?: number;
  /** Writes a marker on the line's time axis (switchings, alarms). */
  note?: (text: string) => void;
}

interface Step {
  n: number;
  in: boolean;
  ratedKvar: number;
  learnedKvar: number;
  faultySince: number | undefined;
  lastSwitchAt: number;
  lastOutAt: number;
  operations: number;
}

/** One switching the relay made, for tests and reports. */
export interface Switching {
  at: number;
  step: number;
  on: boolean;
  reason: 'control' | 'manual' | 'protection' | 'step-fault';
}

export class RelayModel implements DeviceModel {
  readonly load: CompensatedLoad;
  readonly counters: EnergyCounters;
  /** Every switching, oldest first. */
  readonly switchings: Switching[] = [];
  target: number;
  band: number;
  switchDelayMs: number;
  dischargeMs: number;
  ctRatio = 1;
  vtRatio = 1;
  private readonly clock: Clock;
  private readonly o: RelayModelOptions;
  private readonly steps: Step[];
  private readonly alarms: RelayAlarms;
  private pending: { state: BandState; since: number } | undefined;
  private lastSwitchAt = Number.NEGATIVE_INFINITY;
  private wake: Timer | undefined;
  private disposed = false;

  constructor(o: RelayModelOptions) {
    this.o = o;
    this.clock = o.clock;
    this.load = o.load;
    this.alarms = new RelayAlarms(o.note);
    const b = o.behaviour;
    this.target = b.targetCosPhi.default;
    this.band = b.band;
    this.switchDelayMs = b.switchDelayS * 1000;
    this.dischargeMs = b.dischargeTimeS * 1000;
    const now = o.clock.now();
    const bank = o.load.bank;
    this.steps = b.stepKvar.map((kvar, i) => ({
      n: i + 1,
      in: bank.isIn(i + 1),
      ratedKvar: kvar,
      learnedKvar: kvar,
      faultySince: undefined,
      lastSwitchAt: Number.NEGATIVE_INFINITY,
      lastOutAt: Number.NEGATIVE_INFINITY,
      operations: 0,
    }));
    this.counters = new EnergyCounters(o.load, o.start ?? now, {
      ...(o.initialEnergy ? { initial: o.initialEnergy } : {}),
      ...(o.utcOffsetMin !== undefined ? { utcOffsetMin: o.utcOffsetMin } : {}),
    });
    this.schedule(now);
  }

  /** Stops the relay's timers (the steps stay as they are). */
  dispose(): void {
    this.disposed = true;
    this.wake?.cancel();
  }

  /** Number of steps (relay outputs). */
  get stepCount(): number {
    return this.steps.length;
  }

  /** Output state of a step (1-based). */
  isIn(step: number): boolean {
    return this.steps[step - 1]?.in ?? false;
  }

  /** True while a step is marked faulty. */
  isFaulty(step: number): boolean {
    return this.steps[step - 1]?.faultySince !== undefined;
  }

  /** Active alarms. */
  activeAlarms(): RelayAlarm[] {
    return this.alarms.list();
  }

  /** Bit n−1 set for each step switched in. */
  stepMask(): number {
    return this.steps.reduce((m, s) => (s.in ? m | (1 << (s.n - 1)) : m), 0);
  }

  /** Bit i set for alarm RELAY_ALARMS[i] (over-compensation = bit 0 … thd = bit 6). */
  alarmMask(): number {
    return this.alarms.mask();
  }

  /** Forgets step faults: every step is usable again and the alarm clears at the next evaluation. */
  resetStepFaults(): void {
    for (const s of this.steps) {
      if (s.faultySince === undefined) continue;
      s.faultySince = undefined;
      s.learnedKvar = s.ratedKvar;
    }
    this.schedule(this.clock.now());
  }

  /** The measured reading the relay regulates on, at `t`. */
  reading(t: number): Reading {
    return readSample(this.load.at(t), { step: Math.floor(t / 60_000) });
  }

  read(name: QuantityName, t: number): number | undefined {
    const step = relayStepOf(name);
    if (step !== undefined) {
      const s = this.steps[step - 1];
      if (!s) return undefined;
      return name.endsWith('.state') ? (s.in ? 1 : 0) : s.learnedKvar;
    }
    if (name.startsWith('relay.alarm.')) return this.alarms.has(name.slice('relay.alarm.'.length) as RelayAlarm) ? 1 : 0;
    switch (name) {
      case 'relay.cosphi.target': return this.target;
      case 'relay.cosphi.measured': {
        const r = this.reading(t);
        return signedCosPhi(r.phases.l1.p + r.phases.l2.p + r.phases.l3.p, r.phases.l1.q + r.phases.l2.q + r.phases.l3.q);
      }
      case 'relay.ratio.inductive': return this.ratio('inductive', t);
      case 'relay.ratio.capacitive': return this.ratio('capacitive', t);
      case 'relay.steps.mask': return this.stepMask();
      case 'relay.alarms.mask': return this.alarmMask();
      case 'relay.ct.ratio': return this.ctRatio;
      case 'relay.vt.ratio': return this.vtRatio;
      case 'relay.temperature': return this.temperature();
      case 'relay.delay.switch': return this.switchDelayMs / 1000;
      case 'relay.delay.discharge': return this.dischargeMs / 1000;
      default: {
        const counter = COUNTER_OF[name];
        return counter ? this.counters.at(t)[counter] : electricalValue(name, this.reading(t));
      }
    }
  }

  accepts(name: QuantityName, value: number, t: number): boolean {
    const step = relayStepOf(name);
    if (step !== undefined && name.endsWith('.state')) {
      const s = this.steps[step - 1];
      if (!s || (value !== 0 && value !== 1)) return false;
      return value === 0 || s.in || t >= s.lastOutAt + this.dischargeMs;
    }
    switch (name) {
      case 'relay.cosphi.target': {
        const { min, max } = this.o.behaviour.targetCosPhi;
        const a = cosPhiAngleDeg(value);
        return value !== 0 && Math.abs(value) <= 1 && a >= cosPhiAngleDeg(min) && a <= cosPhiAngleDeg(max);
      }
      case 'relay.delay.switch': return value > 0;
      case 'relay.delay.discharge': return value >= 0;
      case 'relay.ct.ratio':
      case 'relay.vt.ratio': return value > 0;
      default: return false;
    }
  }

  write(name: QuantityName, value: number, t: number): void {
    const step = relayStepOf(name);
    if (step !== undefined && name.endsWith('.state')) {
      this.switchStep(step, value === 1, t, 'manual');
    } else if (name === 'relay.cosphi.target') this.target = value;
    else if (name === 'relay.delay.switch') this.switchDelayMs = value * 1000;
    else if (name === 'relay.delay.discharge') this.dischargeMs = value * 1000;
    else if (name === 'relay.ct.ratio') this.ctRatio = value;
    else if (name === 'relay.vt.ratio') this.vtRatio = value;
    this.schedule(t);
  }

  private ratio(kind: 'inductive' | 'capacitive', t: number): number {
    const m = this.counters.monthToDate(t);
    return m.import > 0 ? (100 * m[kind]) / m.import : 0;
  }

  private temperature(): number {
    const kvar = this.steps.reduce((sum, s) => (s.in ? sum + s.learnedKvar : sum), 0);
    return (this.o.ambientC ?? 25) + 0.1 * kvar;
  }

  private schedule(at: number): void {
    if (this.disposed) return;
    if (this.wake && this.wake.due <= at) return;
    this.wake?.cancel();
    this.wake = this.clock.setTimer(at - this.clock.now(), () => {
      this.wake = undefined;
      this.evaluate();
    }, 'compensation relay: evaluate');
  }

  private evaluate(): void {
    const now = this.clock.now();
    const r = this.reading(now);
    const vn = this.load.bank.ratedPhaseVoltage;
    const v = meanVoltage(r);
    const p = r.phases.l1.p + r.phases.l2.p + r.phases.l3.p;
    const q = r.phases.l1.q + r.phases.l2.q + r.phases.l3.q;
    const next: number[] = [this.load.nextLoadChange(now)];
    const over = v > (this.o.overVoltage ?? 1.1) * vn;
    const dropped = v < 0.5 * vn;
    this.alarms.update('over-voltage', over, now, 0, next);
    this.alarms.update('under-voltage', v < (this.o.underVoltage ?? 0.85) * vn, now, 0, next);
    this.alarms.update('thd', Math.max(r.phases.l1.thdU, r.phases.l2.thdU, r.phases.l3.thdU) > (this.o.thdLimit ?? 8), now, 0, next);
    this.alarms.update('over-temperature', this.temperature() > (this.o.temperatureLimitC ?? 55), now, 0, next);
    this.alarms.update('step-fault', this.steps.some((s) => s.faultySince !== undefined), now, 0, next);
    if (over || dropped) {
      for (const s of this.steps) if (s.in) this.switchStep(s.n, false, now, 'protection');
      this.pending = undefined;
      this.alarms.update('over-compensation', false, now, 0, next);
      this.alarms.update('under-compensation', false, now, 0, next);
      this.scheduleNext(now, next);
      return;
    }
    const band = bandAt(p, this.target, this.band);
    const state = bandState(q, band);
    const retest = (this.o.retestAfterS ?? 3600) * 1000;
    const views: StepView[] = this.steps.map((s) => ({
      step: s.n,
      in: s.in,
      kvar: this.expectedKvar(s),
      usable: s.faultySince === undefined || now >= s.faultySince + retest,
      readyAt: s.lastOutAt + this.dischargeMs,
      operations: s.operations,
      lastSwitchAt: s.lastSwitchAt,
    }));
    const alarmDelay = (this.o.alarmDelayS ?? 60) * 1000;
    this.alarms.update('over-compensation', state === 'capacitive' && views.every((s) => !s.in), now, alarmDelay, next);
    this.alarms.update('under-compensation', state === 'inductive' && views.every((s) => s.in || !s.usable), now, alarmDelay, next);
    if (state === 'in-band') {
      this.pending = undefined;
    } else {
      if (this.pending?.state !== state) this.pending = { state, since: now };
      const due = Math.max(this.pending.since, this.lastSwitchAt) + this.switchDelayMs;
      if (now < due) next.push(due);
      else {
        const vScale = (r.phases.l1.v ** 2 + r.phases.l2.v ** 2 + r.phases.l3.v ** 2) / 3 / (vn * vn);
        const d = decide(q, band, views, vScale, now);
        if (d.action === 'none') {
          if (d.waitUntil !== undefined) next.push(d.waitUntil);
        } else {
          this.switchStep(d.step, d.action === 'in', now, 'control');
          this.pending = { state, since: now };
          next.push(now + this.switchDelayMs);
        }
      }
    }
    this.scheduleNext(now, next);
  }

  private scheduleNext(now: number, times: number[]): void {
    const later = times.filter((t) => t > now);
    if (later.length > 0) this.schedule(Math.min(...later));
  }

  private switchStep(n: number, on: boolean, now: number, reason: Switching['reason']): void {
    const s = this.steps[n - 1];
    if (!s || s.in === on) return;
    s.in = on;
    s.operations++;
    s.lastSwitchAt = now;
    if (!on) s.lastOutAt = now;
    if (reason === 'control' || reason === 'manual') this.lastSwitchAt = now;
    this.switchings.push({ at: now, step: n, on, reason });
    this.o.note?.(`relay: step ${n} ${on ? 'in' : 'out'} (${reason})`);
    const bank = this.load.bank;
    const effective = bank.switchStep(n, on, now) ?? bank.effectiveAt(now);
    if (reason !== 'control' && reason !== 'manual') return;
    this.clock.setTimer(effective - now, () => this.checkStep(s, on, effective), `compensation relay: check step ${n}`);
  }

  /** The power a step should have: learned, or rated while it is marked faulty (to retest it). */
  private expectedKvar(s: Step): number {
    return s.faultySince === undefined ? s.learnedKvar : s.ratedKvar;
  }

  /** Compares the change of the bank's Q across `at` with what step `s` should have made. */
  private checkStep(s: Step, on: boolean, at: number): void {
    if (this.disposed || s.in !== on) return;
    const bank = this.load.bank;
    if (bank.history.filter((e) => e.at === at).length > 1) return; // two changes at once: not separable
    if (meanVoltage(this.reading(at)) < 0.5 * bank.ratedPhaseVoltage) return; // nothing to measure with
    // The change of Q over a few cycles either side, at one voltage, scaled back to rated voltage.
    const measuredKvar = Math.abs(bank.deliveredKvar(at) - bank.deliveredKvar(at - bank.quantumMs));
    if (measuredKvar < 0.5 * this.expectedKvar(s)) {
      s.faultySince = at;
      s.learnedKvar = measuredKvar;
      this.o.note?.(`relay: step ${s.n} faulty (measured ${measuredKvar.toFixed(2)} kvar)`);
      if (s.in) this.switchStep(s.n, false, at, 'step-fault');
    } else {
      s.faultySince = undefined;
      s.learnedKvar = measuredKvar;
    }
    this.schedule(at);
  }
}
