/**
 * `GsmModem`: one emulated cellular module on a serial endpoint. It joins a module profile, the
 * SIM, the site's radio coverage, the network model, the AT engine, the sockets bridged to a
 * dialer, the faults and the test surface. Power and start-up are here; registration is
 * reconciled with the radio whenever something it depends on changes (`radio.ts`).
 *
 * ```
 *   off ──power on / key──► booting ──first start-up URC (RDY)──► on ──AT+CFUN=1,1──► booting
 *    ▲                                                             │ key, AT+CPOWD/AT+QPOWD
 *    └───────────────────── power cut (powerOff, powerCycle) ◄─────┘ (hang: only a power cycle)
 * ```
 */
import { ascii } from '../../core/bytes.ts';
import type { Clock, Timer } from '../../core/clock/index.ts';
import type { Endpoint, RxChunk } from '../../lines/endpoint.ts';
import type { LinkDialer } from '../../lines/net/link.ts';
import type { AtCommand } from '../../protocols/at/index.ts';
import type { RadioCoverage } from '../site/radio-coverage.ts';
import type { CommandContext, CommandHandler, ModemBehavior } from './answer.ts';
import { latencyClassOf } from './command-classes.ts';
import { CommandLog, type CommandPredicate, type ReceivedCommand, type SentSms } from './command-log.ts';
import type { DataCounters } from './counters.ts';
import type { SocketDialect } from './dialect.ts';
import { AtEngine } from './engine.ts';
import { ModemFaultSet, type ActiveModemFault, type ModemFault, type ModemFaultOptions } from './faults.ts';
import type { NetworkModel, TechnologyDialers } from './network.ts';
import type { ModemProfile } from './profile-schema.ts';
import { RadioLink } from './radio.ts';
import { Session } from './session.ts';
import { cipStateOf, snapshotOf, type ModemStateSnapshot, type PowerState } from './snapshot.ts';
import type { SimCard, SimState } from './sim.ts';
import type { ModemSocket, SocketHost } from './sockets.ts';

/** Everything a modem is built from (see `createModem` for the friendly form). */
export interface GsmModemParts {
  id: string;
  profile: ModemProfile;
  clock: Clock;
  endpoint: Endpoint;
  dialers: TechnologyDialers;
  sim: SimCard;
  radio: RadioCoverage;
  network: NetworkModel;
  counters: DataCounters;
  imei: string;
  autobaud: boolean;
  handlers: ReadonlyMap<string, CommandHandler>;
  dialect: SocketDialect;
  note?: ((text: string) => void) | undefined;
}

/** An emulated SIMCom/Quectel-class cellular module. */
export class GsmModem {
  readonly id: string;
  readonly profile: ModemProfile;
  readonly clock: Clock;
  readonly endpoint: Endpoint;
  readonly sim: SimCard;
  readonly coverage: RadioCoverage;
  readonly network: NetworkModel;
  readonly counters: DataCounters;
  readonly imei: string;
  readonly faults: ModemFaultSet;
  readonly log: CommandLog;
  /** SMS sent through the module, oldest first. */
  readonly smsOutbox: SentSms[] = [];
  /** Registration, PDP and service (internal to the module's parts). */
  readonly radio: RadioLink;
  readonly dialect: SocketDialect;
  /** `AT+IPR`: the fixed rate, or 0 for autobauding. Kept across restarts. */
  ipr: number;
  /** `AT+QCFG="nwscanmode"`: kept across restarts. */
  scanMode = 0;
  /** Offset of the module's clock (`AT+CCLK=`) from network time, ms. */
  clockOffsetMs = 0;
  /** The data allowance is used up: the operator refuses data. */
  quotaExhausted = false;
  session: Session | undefined;
  engine: AtEngine | undefined;
  private power: 'off' | 'booting' | 'on' = 'off';
  private sessions = 0;
  private baudLocked = true;
  private readonly behaviorList: ModemBehavior[] = [];
  private readonly handlers: ReadonlyMap<string, CommandHandler>;
  private readonly dialers: TechnologyDialers;
  private pendingBoot: Timer | undefined;
  private smsReference = 0;
  private readonly unsubscribe: () => void;
  private readonly note: ((text: string) => void) | undefined;

  constructor(p: GsmModemParts) {
    this.id = p.id;
    this.profile = p.profile;
    this.clock = p.clock;
    this.endpoint = p.endpoint;
    this.sim = p.sim;
    this.coverage = p.radio;
    this.network = p.network;
    this.counters = p.counters;
    this.imei = p.imei;
    this.handlers = p.handlers;
    this.dialect = p.dialect;
    this.dialers = p.dialers;
    this.note = p.note;
    this.ipr = p.autobaud ? 0 : p.profile.defaults.baudRate;
    this.log = new CommandLog(p.clock, `modem ${p.id}`);
    this.radio = new RadioLink(this);
    this.faults = new ModemFaultSet(() => this.radio.reconcile());
    this.unsubscribe = p.endpoint.onData((c) => this.rx(c));
  }

  // ── test surface ───────────────────────────────────────────────────────────────────────────

  /** Command lines received since the last `clearReceived()`, oldest first. */
  get received(): readonly ReceivedCommand[] {
    return this.log.received;
  }

  /** Resolves on the next matching command line within `withinMs` of clock time; rejects with a TimeoutError otherwise. */
  expectCommand(withinMs: number, predicate?: CommandPredicate): Promise<ReceivedCommand> {
    return this.log.expect(withinMs, predicate);
  }

  /** The first received line that matches; throws when none did. */
  assertReceived(predicate: CommandPredicate, what?: string): ReceivedCommand {
    return this.log.assert(predicate, what);
  }

  clearReceived(): void {
    this.log.clear();
  }

  /** Puts a behavior in front of the others (newest first); returns the function that removes it. */
  defineBehavior(b: ModemBehavior): () => void {
    this.behaviorList.unshift(b);
    return () => {
      const i = this.behaviorList.indexOf(b);
      if (i >= 0) this.behaviorList.splice(i, 1);
    };
  }

  /** Switches a fault on; it wears off by `count`, `until` or `forMs` (see `ModemFault`). */
  addFault(fault: ModemFault, options: ModemFaultOptions = {}): ActiveModemFault {
    this.note?.(`modem ${this.id}: fault ${fault.kind}`);
    return this.faults.add(fault, options, this.clock.now());
  }

  /** The network closes every open socket now (each shows its remote-close URC). */
  closeSocketsByNetwork(reason = 'closed by the network'): void {
    for (const s of this.session?.sockets.values() ?? []) s.closedByNetwork(reason);
  }

  /** The network deactivates every active PDP context now. */
  deactivatePdpByNetwork(): void {
    this.radio.pdpLost('deactivated by the network');
  }

  /** A snapshot of SIM, registration, PDP, sockets and faults. */
  state(): ModemStateSnapshot {
    return snapshotOf(this);
  }

  // ── power ──────────────────────────────────────────────────────────────────────────────────

  /** Power state. */
  powerState(): PowerState {
    if (this.power === 'on' && this.hung()) return 'hung';
    return this.power;
  }

  /** Supply on (the module starts; HT terminals start it at power-up). Does nothing when already on. */
  powerOn(): void {
    if (this.power !== 'off') return;
    this.boot();
  }

  /** Supply cut: the module stops at once, without a URC; sockets drop. */
  powerOff(): void {
    this.pendingBoot?.cancel();
    this.pendingBoot = undefined;
    this.endSession('power cut');
    this.power = 'off';
  }

  /** Supply cut and restored: the way out of a hang. */
  powerCycle(): void {
    this.note?.(`modem ${this.id}: power cycle`);
    this.powerOff();
    this.faults.clearKind('hang');
    this.powerOn();
  }

  /** The power key: starts a module that is off; shuts down one that runs (a hung module ignores it). */
  pressPowerKey(): void {
    if (this.power === 'off') return this.boot();
    if (this.hung()) return;
    this.shutdown(this.profile.boot.powerDownUrc);
  }

  /** Prints `urc` and switches off (power-down command or key). */
  shutdown(urc: string | undefined): void {
    if (urc !== undefined) this.writeLine(urc);
    this.powerOff();
  }

  /** `AT+CFUN=1,1`: the module restarts after the profile's reset time. */
  restart(): void {
    this.endSession('module restart');
    this.power = 'booting';
    this.pendingBoot = this.clock.setTimer(this.profile.boot.resetMs, () => this.boot(), `modem ${this.id}: restart`);
  }

  /** Stops listening to the line. */
  dispose(): void {
    this.powerOff();
    this.unsubscribe();
  }

  private boot(): void {
    this.pendingBoot = undefined;
    const s = new Session(++this.sessions, this.profile, () => this.clock.now());
    this.session = s;
    this.engine = new AtEngine(this.engineHost(s), s, this.profile.sockets.maxSendBytes * 4);
    this.power = 'booting';
    if (this.ipr === 0) this.baudLocked = false;
    else {
      this.baudLocked = true;
      if (this.endpoint.settings.baudRate !== this.ipr) void this.endpoint.update({ baudRate: this.ipr }).catch(() => {});
    }
    this.radio.startBoot(s);
  }

  /** Marks the module started (first start-up URC). */
  markReady(s: Session): void {
    if (s !== this.session) return;
    s.ready = true;
    this.power = 'on';
  }

  private endSession(reason: string): void {
    const s = this.session;
    if (!s) return;
    for (const k of s.sockets.values()) k.drop(reason);
    s.end();
    this.session = undefined;
    this.engine = undefined;
  }

  // ── line ───────────────────────────────────────────────────────────────────────────────────

  private rx(c: RxChunk): void {
    if (!this.session || this.power === 'off') return;
    if (!this.baudLocked) {
      if (c.mismatch) {
        void this.endpoint.update({ baudRate: c.mismatch.baudRate, dataBits: c.mismatch.dataBits, parity: c.mismatch.parity, stopBits: c.mismatch.stopBits }).catch(() => {});
        return;
      }
      this.baudLocked = true;
    }
    if (this.hung()) return;
    this.engine?.feed(c.bytes);
  }

  /** `AT+IPR=<rate>`: 0 autobauding, else a fixed rate applied now. */
  setBaud(rate: number): void {
    this.ipr = rate;
    if (rate === 0) {
      this.baudLocked = true;
      return;
    }
    void this.endpoint.update({ baudRate: rate }).catch(() => {});
  }

  /** Bytes to the terminal, unless the module is off, hung or not yet in step with the line. */
  write(bytes: Uint8Array): void {
    if (!this.session?.alive || this.hung() || !this.baudLocked || bytes.length === 0) return;
    void this.endpoint.write(bytes).catch(() => {});
  }

  private writeLine(text: string): void {
    const st = this.session?.settings;
    const eol = String.fromCharCode(st?.s3 ?? 13, st?.s4 ?? 10);
    this.write(ascii(st?.verbose === false ? `${text}${eol}` : `${eol}${text}${eol}`));
  }

  /** A URC, held while a command line is open. Start-up URCs are not sent while autobauding is not in step. */
  urc(text: string): void {
    this.engine?.urc(text);
  }

  /** Raw bytes held like URCs (pushed socket data). */
  urcBytes(bytes: Uint8Array): void {
    this.engine?.urcBytes(bytes);
  }

  /** True while a hang fault is on. */
  hung(): boolean {
    return this.faults.peek('hang', this.clock.now()) !== undefined;
  }

  private engineHost(s: Session) {
    return {
      clock: this.clock,
      log: this.log,
      echoData: this.profile.sockets.echoData,
      behaviors: () => this.behaviorList,
      handler: (cmd: AtCommand) => this.handlerFor(cmd),
      latency: (cmd: AtCommand | undefined, factor: number) => this.profile.latencyMs[latencyClassOf(cmd)] * factor,
      lineFactor: () => this.faults.take('slow-answers', this.clock.now())?.factor ?? 1,
      write: (b: Uint8Array) => {
        if (s.alive) this.write(b);
      },
      hung: () => this.hung(),
      context: (): CommandContext => ({ modem: this, session: s }),
    };
  }

  private handlerFor(cmd: AtCommand): CommandHandler | undefined {
    const key = AtEngine.key(cmd);
    const h = this.handlers.get(key);
    if (h) return h;
    if (cmd.syntax === 'extended' && this.profile.acknowledged.includes(cmd.name)) return () => ({});
    return undefined;
  }

  // ── SIM, sockets, SMS (for the command handlers) ───────────────────────────────────────────

  /** The SIM state the module sees now (`initializing` before its start-up `+CPIN:`). */
  simState(): SimState | 'initializing' {
    const s = this.session;
    if (!s || !s.simInitialized) return 'initializing';
    if (!s.simPresent) return 'absent';
    return this.sim.state(s.pinForced);
  }

  /** The `+CME ERROR` code for a SIM that is not ready, or undefined when it is. */
  simErrorCode(): number | undefined {
    switch (this.simState()) {
      case 'ready':
        return undefined;
      case 'absent':
        return 10;
      case 'pin':
        return 11;
      case 'puk':
        return 12;
      case 'blocked':
        return 13;
      case 'initializing':
        return 14;
    }
  }

  /** What the socket objects need. */
  socketHost(s: Session): SocketHost {
    return {
      clock: this.clock,
      counters: this.counters,
      network: this.network,
      dialer: (tech): LinkDialer => this.dialers(tech),
      dataTechnology: () => (s.alive ? this.radio.dataTechnology() : undefined),
      waitRadio: () => this.radio.waitRadio(s),
      alive: () => s.alive && this.session === s,
      noteTraffic: () => this.radio.checkAllowance(),
    };
  }

  /** The next SMS message reference (0..255). */
  nextSmsReference(): number {
    this.smsReference = (this.smsReference + 1) % 256;
    return this.smsReference;
  }

  /** SIMCom `STATE:` for single-connection `AT+CIPSTATUS`. */
  cipState(): string {
    return cipStateOf(this.session);
  }

  /** Sockets of the current run by id. */
  socket(id: number): ModemSocket | undefined {
    return this.session?.sockets.get(id);
  }
}
