/**
 * The module's side of the radio: start-up URCs and the SIM read, registration reconciled with
 * the site's coverage and the faults, the PDP contexts' fate when service goes, and the signal.
 *
 * ```
 *  coverage, faults, SIM, CFUN change ──► reconcile ──► desired registration
 *      ├─ lost (no service, SIM gone, CFUN≠1) ─────────► commit now (URCs), PDP held `pdpHoldMs`
 *      └─ service on a technology ──► after the profile's registration delay ─► commit (URCs)
 *  PDP held and service back ─► sends and receives resume;  hold expires ─► PDP lost (URC, sockets drop)
 * ```
 * The module wakes at the coverage's next change and at the next fault expiry; nothing polls.
 */
import type { Timer } from '../../core/clock/index.ts';
import type { RadioTechnology } from '../site/radio-coverage.ts';
import type { GsmModem } from './modem.ts';
import { allowedTechnologies, desiredRegistration, registered, registrationUrcs, signalQuality, type RegPrefix } from './registration.ts';
import type { RegistrationState, Session } from './session.ts';
import type { SimState } from './sim.ts';

/** The `+CPIN:` text of a SIM state. */
export function cpinText(state: SimState | 'initializing'): string {
  switch (state) {
    case 'ready':
      return 'READY';
    case 'pin':
      return 'SIM PIN';
    case 'puk':
      return 'SIM PUK';
    case 'absent':
      return 'NOT INSERTED';
    default:
      return 'NOT READY';
  }
}

const same = (a: RegistrationState, b: RegistrationState) => a.stat === b.stat && a.tech === b.tech;

/** Registration, service and PDP fate of one modem. */
export class RadioLink {
  private wake: Timer | undefined;
  private reconciling = false;
  private again = false;

  constructor(private readonly m: GsmModem) {}

  /** Schedules the profile's start-up URCs for a new run; the SIM is read at the `{cpin}` one. */
  startBoot(s: Session): void {
    const urcs = [...this.m.profile.boot.urcs].sort((a, b) => a.afterMs - b.afterMs);
    const cpinAt = urcs.find((u) => u.text.includes('{cpin}'))!.afterMs;
    urcs.forEach((u, i) => {
      const fire = () => {
        if (!s.alive) return;
        if (i === 0) this.m.markReady(s);
        if (u.text.includes('{cpin}')) {
          this.readSim(s);
          this.m.urc(u.text.replace('{cpin}', cpinText(this.m.simState())));
          this.reconcile();
          return;
        }
        if (u.when === 'sim-ready' && this.m.simState() !== 'ready') {
          s.deferredSimUrcs.push({ text: u.text, delayMs: Math.max(0, u.afterMs - cpinAt) });
          return;
        }
        this.m.urc(u.text);
      };
      s.own(this.m.clock.setTimer(u.afterMs, fire, `modem ${this.m.id}: start-up ${u.text}`));
    });
  }

  /** The SIM ready URCs of the profile (after the `{cpin}` one), with their delays from it. */
  private simReadyUrcs(): { text: string; delayMs: number }[] {
    const urcs = this.m.profile.boot.urcs;
    const cpinAt = urcs.find((u) => u.text.includes('{cpin}'))!.afterMs;
    return urcs.filter((u) => u.when === 'sim-ready').map((u) => ({ text: u.text, delayMs: Math.max(0, u.afterMs - cpinAt) }));
  }

  /** The SIM became ready after start-up (PIN entered): the deferred start-up URCs follow. */
  simUnlocked(s: Session): void {
    this.emitLater(s, s.deferredSimUrcs.splice(0));
    this.reconcile();
  }

  /** The SIM was powered again (inserted, CFUN 0→1): `+CPIN:` and, when ready, the ready URCs. */
  simPoweredAgain(s: Session): void {
    this.readSim(s);
    this.m.urc(`+CPIN: ${cpinText(this.m.simState())}`);
    if (this.m.simState() === 'ready') this.emitLater(s, this.simReadyUrcs());
    else s.deferredSimUrcs = this.simReadyUrcs();
  }

  private emitLater(s: Session, list: { text: string; delayMs: number }[]): void {
    for (const u of list) s.own(this.m.clock.setTimer(u.delayMs, () => s.alive && this.m.urc(u.text), `modem ${this.m.id}: ${u.text}`));
  }

  private readSim(s: Session): void {
    const now = this.m.clock.now();
    s.simInitialized = true;
    s.simPresent = this.m.sim.inserted && !this.m.faults.peek('sim-removed', now);
    this.m.sim.powerOn();
    s.pinForced = s.simPresent && this.m.faults.take('pin-enabled', now) !== undefined;
  }

  /** Level on `tech` after the faults (undefined: no cell reaches the module). */
  level(tech: RadioTechnology, now = this.m.clock.now()): number | undefined {
    if (this.m.faults.peek('no-coverage', now, (f) => f.technology === undefined || f.technology === tech)) return undefined;
    const level = this.m.coverage.levelAt(tech, now);
    if (level === undefined) return undefined;
    return level - this.weakLoss(now);
  }

  private weakLoss(now: number): number {
    const f = this.m.faults.peek('weak-signal', now);
    return f ? (f.lossDb ?? 20) : 0;
  }

  /** True when the module has service on `tech`. */
  hasService(tech: RadioTechnology, now = this.m.clock.now()): boolean {
    const level = this.level(tech, now);
    return level !== undefined && level >= this.m.coverage.minServiceDbm;
  }

  /** `+CSQ` now: the cell the module is on, or the best cell it hears. */
  signal(): { rssi: number; ber: number } {
    const s = this.m.session;
    if (!s || s.cfun !== 1) return signalQuality(undefined, undefined);
    const techs = allowedTechnologies(this.m.profile.access.technologies, this.m.scanMode);
    const tech = s.reg.tech ?? techs.find((t) => this.hasService(t)) ?? techs.find((t) => this.level(t) !== undefined);
    return tech === undefined ? signalQuality(undefined, undefined) : signalQuality(this.level(tech), tech);
  }

  /** Registered (home or roaming). */
  isRegistered(): boolean {
    const s = this.m.session;
    return s !== undefined && registered(s.reg);
  }

  /** The technology packet data flows on now; undefined while out of service or detached. */
  dataTechnology(): RadioTechnology | undefined {
    const s = this.m.session;
    if (!s || !s.alive || s.cfun !== 1 || s.detached || this.m.quotaExhausted || !registered(s.reg)) return undefined;
    return s.reg.tech;
  }

  /** Resolves true when service returns, false when the PDP context is lost first. */
  waitRadio(s: Session): Promise<boolean> {
    if (!s.alive) return Promise.resolve(false);
    if (this.dataTechnology() !== undefined) return Promise.resolve(true);
    return new Promise((resolve) => s.radioWaiters.push(resolve));
  }

  /** Re-evaluates SIM presence and registration; commits changes and schedules the next wake-up. */
  reconcile(): void {
    if (this.reconciling) {
      this.again = true;
      return;
    }
    this.reconciling = true;
    try {
      do {
        this.again = false;
        this.step();
      } while (this.again);
    } finally {
      this.reconciling = false;
    }
  }

  private step(): void {
    const s = this.m.session;
    if (!s || !s.alive || !s.simInitialized) return;
    const now = this.m.clock.now();
    const present = this.m.sim.inserted && !this.m.faults.peek('sim-removed', now);
    if (present !== s.simPresent) {
      if (!present) {
        s.simPresent = false;
        this.m.urc(this.m.profile.boot.simRemovedUrc);
      } else this.simPoweredAgain(s);
    }
    const technologies = allowedTechnologies(this.m.profile.access.technologies, this.m.scanMode);
    const want = desiredRegistration({
      technologies,
      hasService: (t) => this.hasService(t, now),
      simReady: this.m.simState() === 'ready',
      cfun: s.cfun,
      denied: this.m.network.denied || this.m.faults.peek('registration-denied', now) !== undefined,
      roaming: this.m.network.roaming,
    });
    const cur = s.reg;
    if (same(want, cur)) {
      this.cancelPending(s);
    } else if (want.tech === undefined || want.tech === cur.tech) {
      this.cancelPending(s);
      this.commit(s, want);
    } else {
      // Reselection: the module stays on its cell while it still has service there.
      const stays = cur.tech !== undefined && cur.stat === want.stat && technologies.includes(cur.tech) && this.hasService(cur.tech, now);
      if (!stays && (cur.stat !== 2 || cur.tech !== undefined)) this.commit(s, { stat: 2, tech: undefined });
      if (!s.regPending || !same(s.regPending.target, want)) {
        this.cancelPending(s);
        const delay = this.m.profile.access.registrationDelayMs[want.tech] ?? 0;
        s.regPending = { target: want, timer: s.own(this.m.clock.setTimer(delay, () => this.registerNow(s, want), `modem ${this.m.id}: register on ${want.tech}`)) };
      }
    }
    this.scheduleWake(s, now);
  }

  private registerNow(s: Session, want: RegistrationState): void {
    if (!s.alive || s.regPending?.target !== want) return;
    s.regPending = undefined;
    this.commit(s, want);
    this.reconcile();
  }

  private cancelPending(s: Session): void {
    s.regPending?.timer.cancel();
    s.regPending = undefined;
  }

  private scheduleWake(s: Session, now: number): void {
    this.wake?.cancel();
    const next = Math.min(this.m.coverage.nextChange(now), this.m.faults.nextExpiry(now));
    if (next === Infinity) return;
    this.wake = s.own(this.m.clock.setTimer(Math.max(1, next - now), () => this.reconcile(), `modem ${this.m.id}: radio change`));
  }

  private commit(s: Session, want: RegistrationState): void {
    const before = s.reg;
    s.reg = want;
    const p = this.m.profile;
    for (const u of registrationUrcs(p.access.registration as RegPrefix[], s.settings.regN, before, want, this.m.network, p.access.registrationAct)) this.m.urc(u);
    if (this.dataTechnology() !== undefined) {
      s.pdpHold?.cancel();
      s.pdpHold = undefined;
      for (const w of s.radioWaiters.splice(0)) w(true);
      return;
    }
    if (want.stat === 0) {
      this.pdpLost('no SIM or radio off');
      return;
    }
    if (s.activeContexts().length > 0 && !s.pdpHold) {
      s.pdpHold = s.own(this.m.clock.setTimer(this.m.network.pdpHoldMs, () => s.alive && this.pdpLost('lost coverage'), `modem ${this.m.id}: PDP hold`));
    }
  }

  /** The network deactivates every active context: sockets drop, the dialect prints its URCs. */
  pdpLost(reason: string): void {
    const s = this.m.session;
    if (!s) return;
    s.pdpHold?.cancel();
    s.pdpHold = undefined;
    const lost = s.activeContexts();
    for (const w of s.radioWaiters.splice(0)) w(false);
    if (lost.length === 0) return;
    for (const c of lost) {
      c.active = false;
      c.lost = true;
      delete c.address;
    }
    for (const k of s.sockets.values()) k.drop(reason);
    this.m.dialect.pdpLost(this.m, s, lost.map((c) => c.cid));
  }

  /** Checks the SIM's data allowance; once used up, the operator takes the context away. */
  checkAllowance(): void {
    const limit = this.m.sim.dataLimitBytes;
    if (limit === undefined || this.m.quotaExhausted || this.m.counters.billedBytes() < limit) return;
    this.m.quotaExhausted = true;
    this.pdpLost('data allowance used up');
  }
}
