/**
 * The module manager: brings a SIMCom or Quectel module from power-up to an active PDP context
 * and keeps track of it, on the terminal's clock.
 *
 * ```
 *  off ─► starting ─(AT answered: ATE0, AT+CMEE=2, AT+CGMM)─► sim-check ─(READY)─► registering
 *                                               │ SIM PIN / SIM PUK / NOT INSERTED
 *                                               └─► sim-failure (only AT+CPIN? again, every simRetryMs)
 *  registering ─(CGREG/CEREG 1 or 5)─► registered ─(CSTT/CIICR/CIFSR | QICSGP/QIACT)─► attaching ─► online
 *  online ─(+PDP: DEACT / "pdpdeact")─► registered (the next dial attaches again)
 *  any ─(hangAfter commands unanswered)─► resetting: AT+CFUN=1,1, else powerCycle() ─► starting
 * ```
 *
 * Registration: `searching` (stat 2/0), `denied` (stat 3), `no-coverage` (CSQ 99 for
 * `noCoverageAfterMs`), `registered-home` / `roaming`; the technology is 4G when `+CEREG`
 * (or AcT 7) says registered, else 2G. A 4G module is left in automatic scan mode (LTE where
 * there is LTE, else GSM) unless configured otherwise.
 */
import type { Clock } from '../../core/clock/index.ts';
import { errorMessage, HtHilError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { CEREG, CGREG, CREG, CSQ, isRegistered, rssiToDbm, tryParse, type ResponseCodec } from '../../protocols/at/index.ts';
import { AtCommandError, AtRunner, AtTimeoutError } from './at-runner.ts';
import type { ApnConfig, CellDialect, SocketEvent, TechnologyPreference } from './dialect.ts';
import { QUECTEL } from './quectel.ts';
import { SIMCOM } from './simcom.ts';
import { isSimFailure, type CellularStatus, type ModuleDialect, type RegistrationStatus, type SimStatus } from './status.ts';

/** Times and counts of the manager (ms). */
export interface ModemTiming {
  /** Longest wait for the first answer after power-up or reset. */
  bootTimeoutMs: number;
  /** Longest wait for the SIM to be read (`+CME ERROR: 14`, `NOT READY`). */
  simReadyTimeoutMs: number;
  /** Period of the SIM re-check after a SIM failure. */
  simRetryMs: number;
  /** Longest wait for registration in one attempt. */
  registrationTimeoutMs: number;
  /** CSQ 99 this long counts as no coverage. */
  noCoverageAfterMs: number;
  /** Registration poll period (CSQ and the registration reads). */
  pollMs: number;
  /** Commands in a row without any answer that mean the module hangs. */
  hangAfter: number;
  /** Failed bring-ups in a row after which the module is reset. */
  resetAfterFailures: number;
}

/** Defaults of `ModemTiming`. */
export const DEFAULT_MODEM_TIMING: ModemTiming = {
  bootTimeoutMs: 30_000,
  simReadyTimeoutMs: 10_000,
  simRetryMs: 60 * 60_000,
  registrationTimeoutMs: 180_000,
  noCoverageAfterMs: 60_000,
  pollMs: 3_000,
  hangAfter: 3,
  resetAfterFailures: 5,
};

/** Options of the manager. */
export interface ModemManagerOptions {
  /** The module's serial port (115200 8N1). */
  endpoint: Endpoint;
  clock: Clock;
  apn: ApnConfig;
  /** The module's dialect; detected from `AT+CGMM`/`ATI` when absent. */
  dialect?: ModuleDialect;
  /** Radios a 4G module may use (default `4g-fallback-2g`). */
  technologies?: TechnologyPreference;
  /** Switches the module's supply off and on (the board's power-key line); the last resort against a hang. */
  powerCycle?: () => Promise<void> | void;
  timing?: Partial<ModemTiming>;
  logger?: Logger;
}

/** A bring-up step failed; `reason` is what the status shows. */
export class CellularError extends HtHilError {
  constructor(readonly reason: string, message: string) {
    super('E_CELLULAR', message);
  }
}

const SIM_TEXT: Readonly<Record<string, string>> = {
  'sim-pin-required': 'SIM asks for its PIN: the PIN lock must be disabled before installation',
  'sim-puk-required': 'SIM is PUK-locked: replace or unlock the SIM',
  'sim-absent': 'no SIM inserted',
  'sim-error': 'SIM not usable',
};

/** Drives the module. See the module comment. */
export class ModemManager {
  readonly at: AtRunner;
  readonly timing: ModemTiming;
  private dialectImpl: CellDialect | undefined;
  private st: CellularStatus;
  private readonly listeners = new Set<(s: CellularStatus) => void>();
  private readonly socketListeners = new Set<(e: SocketEvent) => void>();
  private busy: Promise<void> | undefined;
  private up = false;
  private configured = false;
  private pdpActive = false;
  private pdpLost = false;
  private simRetryAt = 0;
  private noSignalSince: number | undefined;
  private failures = 0;

  constructor(private readonly o: ModemManagerOptions) {
    this.timing = { ...DEFAULT_MODEM_TIMING, ...o.timing };
    this.at = new AtRunner({ endpoint: o.endpoint, clock: o.clock, ...(o.logger ? { logger: o.logger } : {}) });
    this.dialectImpl = o.dialect === 'simcom' ? SIMCOM : o.dialect === 'quectel' ? QUECTEL : undefined;
    this.st = { state: 'off', sim: 'unknown', registration: 'unknown', technology: undefined, signal: undefined, dialect: o.dialect, model: undefined, ip: undefined, lastError: undefined, resets: 0, since: o.clock.now() };
    this.at.onUrc((t) => this.urc(t));
  }

  /** The dialect in use (known once the module answered `AT+CGMM`, or configured). */
  get dialect(): CellDialect | undefined {
    return this.dialectImpl;
  }

  /** A copy of the current status. */
  status(): CellularStatus {
    return { ...this.st, ...(this.st.signal ? { signal: { ...this.st.signal } } : {}) };
  }

  /** Calls `listener` on every status change; returns the unsubscribe function. */
  onStatus(listener: (s: CellularStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` with socket and bearer events (`+CIPRXGET: 1`, `CLOSED`, `+PDP: DEACT`, `+QIURC`). */
  onSocketEvent(listener: (e: SocketEvent) => void): () => void {
    this.socketListeners.add(listener);
    return () => this.socketListeners.delete(listener);
  }

  /**
   * Brings the module up to an active PDP context (only the missing steps). Rejects with a
   * `CellularError` naming the reason: a SIM failure (at once, without any module traffic until
   * `simRetryMs` has passed), no registration in time, attach refused, module not answering.
   */
  ensureOnline(): Promise<void> {
    if (!this.busy) this.busy = this.bringUp().finally(() => (this.busy = undefined));
    return this.busy;
  }

  private async bringUp(): Promise<void> {
    try {
      if (isSimFailure(this.st.sim) && this.o.clock.now() < this.simRetryAt) throw this.simError(this.st.sim);
      if (this.failures >= this.timing.resetAfterFailures) await this.reset(`${this.failures} failed bring-ups in a row`);
      if (this.up && !(await this.alive())) await this.reset('module stopped answering');
      if (!this.up) await this.start();
      if (this.st.sim !== 'ready') await this.checkSim();
      if (!this.configured) await this.configure();
      await this.register();
      if (!this.pdpActive) await this.attach();
      this.failures = 0;
      this.set({ state: 'online', lastError: undefined });
    } catch (err) {
      if (!(err instanceof CellularError && err.reason.startsWith('sim-'))) this.failures++;
      const e = err instanceof CellularError ? err : new CellularError('module-error', errorMessage(err));
      this.set({ lastError: e.message });
      throw e;
    }
  }

  /** Power-up: first answer, echo off, verbose errors, identity. */
  private async start(): Promise<void> {
    this.set({ state: 'starting' });
    if (!(await this.waitAnswer(this.timing.bootTimeoutMs))) {
      await this.reset('module does not answer after power-up');
    }
    await this.at.command('ATE0');
    await this.at.command('AT+CMEE=2', { allowError: true });
    const model = (await this.at.command('AT+CGMM', { allowError: true })).lines.join(' ').trim();
    if (!this.dialectImpl) {
      const text = model || (await this.at.command('ATI', { allowError: true })).lines.join(' ');
      this.dialectImpl = /quectel|^E[CG]\d|BG\d/i.test(text) ? QUECTEL : /sim\d|simcom/i.test(text) ? SIMCOM : undefined;
      if (!this.dialectImpl) throw new CellularError('unknown-module', `unknown module ${JSON.stringify(text)}`);
    }
    this.up = true;
    this.set({ model, dialect: this.dialectImpl.name });
  }

  private async checkSim(): Promise<void> {
    this.set({ state: 'sim-check' });
    const deadline = this.o.clock.now() + this.timing.simReadyTimeoutMs;
    for (;;) {
      const r = await this.at.command('AT+CPIN?', { allowError: true });
      const sim = simFrom(r.lines.find((l) => l.startsWith('+CPIN:')), r.final.kind === 'cme-error' ? r.final.code : undefined);
      if (sim === 'ready') {
        this.set({ sim: 'ready' });
        return;
      }
      if (sim !== 'unknown' || this.o.clock.now() >= deadline) {
        const failure: SimStatus = sim === 'unknown' ? 'sim-error' : sim;
        this.simRetryAt = this.o.clock.now() + this.timing.simRetryMs;
        this.set({ sim: failure, state: 'sim-failure', registration: 'unknown' });
        throw this.simError(failure);
      }
      await this.o.clock.sleep(1_000);
    }
  }

  private async configure(): Promise<void> {
    const d = this.dialectImpl!;
    for (const c of d.registrationCommands) await this.at.command(`AT${c}=2`, { allowError: true });
    await d.configure(this.at, this.o.technologies ?? '4g-fallback-2g');
    this.configured = true;
  }

  private async register(): Promise<void> {
    const deadline = this.o.clock.now() + this.timing.registrationTimeoutMs;
    for (;;) {
      if (await this.poll()) return;
      if (this.st.state !== 'registering') this.set({ state: 'registering' });
      if (this.o.clock.now() + this.timing.pollMs > deadline) {
        throw new CellularError(this.st.registration, `not registered after ${this.timing.registrationTimeoutMs} ms: ${this.st.registration}`);
      }
      await this.o.clock.sleep(this.timing.pollMs);
    }
  }

  /** One round of CSQ and registration reads; true when registered for data. */
  private async poll(): Promise<boolean> {
    const now = this.o.clock.now();
    const q = parsed(CSQ, (await this.at.command('AT+CSQ')).lines.find((l) => l.startsWith('+CSQ:')) ?? '');
    if (q) {
      this.set({ signal: { rssi: q.rssi, dbm: rssiToDbm(q.rssi) } });
      this.noSignalSince = q.rssi === 99 ? (this.noSignalSince ?? now) : undefined;
    }
    const d = this.dialectImpl!;
    let best: { prefix: string; stat: number; act: number | undefined } | undefined;
    let denied = false;
    for (const c of d.registrationCommands) {
      const codec = c === '+CEREG' ? CEREG : c === '+CGREG' ? CGREG : CREG;
      const line = (await this.at.command(`AT${c}?`, { allowError: true })).lines.find((l) => l.startsWith(`${c}:`));
      const reg = line === undefined ? undefined : parsed(codec, line);
      if (!reg) continue;
      if (reg.stat === 3) denied = true;
      if (c !== '+CREG' && isRegistered(reg.stat) && (!best || c === '+CEREG')) best = { prefix: c, stat: reg.stat, act: reg.act };
    }
    if (best) {
      this.set({ registration: best.stat === 5 ? 'roaming' : 'registered-home', technology: d.technologyOf(best.prefix, best.act), ...(this.st.state === 'registering' ? { state: 'registered' as const } : {}) });
      return true;
    }
    const noCoverage = this.noSignalSince !== undefined && now - this.noSignalSince >= this.timing.noCoverageAfterMs;
    this.set({ registration: denied ? 'denied' : noCoverage ? 'no-coverage' : 'searching', technology: undefined });
    return false;
  }

  private async attach(): Promise<void> {
    const d = this.dialectImpl!;
    this.set({ state: 'attaching' });
    if (this.pdpLost) await d.detach(this.at);
    try {
      const ip = await d.attach(this.at, this.o.apn);
      this.pdpActive = true;
      this.pdpLost = false;
      this.set({ ip });
    } catch (err) {
      if (err instanceof AtCommandError) throw new CellularError('attach-failed', `PDP activation refused (APN ${this.o.apn.apn}): ${err.message}`);
      throw err;
    }
  }

  /** Sends AT until the module answers, up to `ms`. */
  private async waitAnswer(ms: number): Promise<boolean> {
    const deadline = this.o.clock.now() + ms;
    while (this.o.clock.now() < deadline) {
      try {
        await this.at.command('AT');
        return true;
      } catch (err) {
        if (!(err instanceof AtTimeoutError)) await this.o.clock.sleep(500);
      }
    }
    return false;
  }

  /** True unless `hangAfter` commands in a row go unanswered. */
  private async alive(): Promise<boolean> {
    for (let i = 0; i < this.timing.hangAfter; i++) {
      try {
        await this.at.command('AT');
        return true;
      } catch (err) {
        if (!(err instanceof AtTimeoutError)) return true;
      }
    }
    return false;
  }

  /** AT+CFUN=1,1; when the module does not come back, the power cycle. */
  private async reset(why: string): Promise<void> {
    this.o.logger?.warn({ why }, 'cellular module reset');
    this.set({ state: 'resetting', lastError: why, resets: this.st.resets + 1 });
    this.forget();
    let back = false;
    try {
      await this.at.command('AT+CFUN=1,1');
      this.at.moduleRestarted();
      back = await this.waitAnswer(this.timing.bootTimeoutMs);
    } catch {
      back = false;
    }
    if (!back) {
      if (!this.o.powerCycle) {
        this.set({ state: 'failed' });
        throw new CellularError('module-hang', `module does not answer (${why}) and no power control`);
      }
      await this.o.powerCycle();
      this.at.moduleRestarted();
      if (!(await this.waitAnswer(this.timing.bootTimeoutMs))) {
        this.set({ state: 'failed' });
        throw new CellularError('module-hang', `module does not answer after a power cycle (${why})`);
      }
    }
    this.failures = 0;
    this.set({ state: 'starting' });
  }

  private forget(): void {
    this.up = false;
    this.configured = false;
    this.pdpActive = false;
    this.pdpLost = false;
    this.noSignalSince = undefined;
    this.set({ sim: 'unknown', registration: 'unknown', technology: undefined, ip: undefined });
  }

  private urc(text: string): void {
    const d = this.dialectImpl;
    const ev = d?.socketEvent(text);
    if (ev?.kind === 'pdp-lost') {
      this.pdpActive = false;
      this.pdpLost = true;
      this.set({ ip: undefined, lastError: ev.reason, ...(this.st.state === 'online' ? { state: 'registered' as const } : {}) });
    }
    if (ev) for (const l of [...this.socketListeners]) l(ev);
    if (text === '+CPIN: READY' && isSimFailure(this.st.sim)) this.simRetryAt = 0;
    if (text === '+CPIN: NOT READY' || text === '+CPIN: NOT INSERTED') {
      this.forget();
      this.up = true;
    }
    const m = /^\+C(E|G)?REG: (\d+)(,|$)/.exec(text);
    if (m && !isRegistered(Number(m[2])) && (m[1] !== undefined || !d?.registrationCommands.includes('+CGREG'))) {
      if (this.st.registration === 'registered-home' || this.st.registration === 'roaming') this.set({ registration: 'searching', technology: undefined });
    }
  }

  private simError(sim: SimStatus): CellularError {
    return new CellularError(sim, SIM_TEXT[sim] ?? sim);
  }

  private set(patch: Partial<CellularStatus>): void {
    const next = { ...this.st, ...patch };
    const changed = (Object.keys(patch) as (keyof CellularStatus)[]).some((k) => JSON.stringify(next[k]) !== JSON.stringify(this.st[k]));
    if (!changed) return;
    this.st = { ...next, since: this.o.clock.now() };
    for (const l of [...this.listeners]) l(this.status());
  }
}

/** The SIM status an `AT+CPIN?` answer stands for; `unknown` while the SIM is still being read. */
export function simFrom(line: string | undefined, cme: number | undefined): SimStatus {
  const code = line?.slice(6).trim().replace(/^"(.*)"$/, '$1');
  if (code === 'READY') return 'ready';
  if (code === 'SIM PIN' || code === 'PH-SIM PIN') return 'sim-pin-required';
  if (code === 'SIM PUK') return 'sim-puk-required';
  if (code === 'NOT INSERTED' || cme === 10) return 'sim-absent';
  if (cme === 11) return 'sim-pin-required';
  if (cme === 12) return 'sim-puk-required';
  if (cme === 13 || cme === 15) return 'sim-error';
  return 'unknown';
}

function parsed<T>(codec: ResponseCodec<T>, line: string): T | undefined {
  const r = tryParse(codec, line);
  return r.ok ? r.value : undefined;
}
