/**
 * One run of the module, from power-on to power-off or restart: its settings (echo, result
 * format, URC switches), registration, PDP contexts, sockets and timers. A restart makes a new
 * session; the old one is `alive = false`, so whatever it still had in flight says nothing.
 */
import type { Timer } from '../../core/clock/index.ts';
import type { RadioTechnology } from '../site/radio-coverage.ts';
import type { ModemProfile } from './profile-schema.ts';
import type { SimState } from './sim.ts';
import type { ModemSocket } from './sockets.ts';

/** Settings the DTE changes with commands; reset at every start. */
export interface ModemSettings {
  echo: boolean;
  verbose: boolean;
  quiet: boolean;
  cmee: 0 | 1 | 2;
  s3: number;
  s4: number;
  s5: number;
  s0: number;
  /** URC setting `n` of +CREG, +CGREG, +CEREG. */
  regN: Record<'+CREG' | '+CGREG' | '+CEREG', number>;
  /** `AT+COPS=3,<format>`: 0 long, 1 short, 2 numeric. */
  copsFormat: number;
  /** `AT+CMGF=1`. */
  smsText: boolean;
  /** SIMCom: `AT+CIPHEAD=1` (pushed data has `+IPD,<len>:`). */
  cipHead: boolean;
  /** SIMCom: `AT+CIPRXGET=1` (data waits to be read). */
  cipManualReceive: boolean;
  /** SIMCom: `AT+CIPQSEND=1` (`DATA ACCEPT:<n>` at once). */
  cipQuickSend: boolean;
  /** SIMCom: `AT+CIPMUX=1`. */
  cipMux: boolean;
}

/** Default settings of a profile. */
export function defaultSettings(p: ModemProfile): ModemSettings {
  return {
    echo: p.defaults.echo,
    verbose: p.defaults.verbose,
    quiet: false,
    cmee: p.defaults.cmee,
    s3: 13,
    s4: 10,
    s5: 8,
    s0: 0,
    regN: { '+CREG': 0, '+CGREG': 0, '+CEREG': 0 },
    copsFormat: 0,
    smsText: false,
    cipHead: false,
    cipManualReceive: false,
    cipQuickSend: false,
    cipMux: false,
  };
}

/** Registration as the module reports it. */
export interface RegistrationState {
  /** 27.007 `<stat>`: 0 not registered, 1 home, 2 searching, 3 denied, 5 roaming. */
  stat: number;
  /** Technology registered on (undefined when not registered). */
  tech: RadioTechnology | undefined;
}

/** A PDP context: its settings and whether it is active. */
export interface PdpContextState {
  cid: number;
  apn: string;
  user: string;
  password: string;
  /** 1 IPv4, 2 IPv6, 3 IPv4v6 (Quectel `<context_type>`). */
  type: number;
  auth: number;
  active: boolean;
  address?: string;
  /** The network deactivated it; the DTE must deactivate it before activating again. */
  lost?: boolean;
}

/** The SIMCom single-bearer state of `AT+CIPSTATUS` (connection states come from the socket). */
export type CipStage = 'IP INITIAL' | 'IP START' | 'IP CONFIG' | 'IP GPRSACT' | 'IP STATUS' | 'PDP DEACT';

/** One run of the module. */
export class Session {
  alive = true;
  /** Answers commands (after its first start-up URC). */
  ready = false;
  /** The SIM has been read since start-up (its `+CPIN:` URC went out). */
  simInitialized = false;
  /** SIM state last announced. */
  simState: SimState = 'absent';
  /** The SIM was present when last looked at (hot-plug detection). */
  simPresent = true;
  /** A `pin-enabled` fault acted at the SIM's power-on: the SIM asks for its PIN. */
  pinForced = false;
  /** `AT+CGATT=0`: detached from the packet domain. */
  detached = false;
  /** `AT+CFUN` level: 0 minimum, 1 full, 4 radio off. */
  cfun = 1;
  settings: ModemSettings;
  reg: RegistrationState = { stat: 0, tech: undefined };
  regPending: { target: RegistrationState; timer: Timer } | undefined;
  pdpHold: Timer | undefined;
  /** Waiting for the radio to come back (sends and receives held while out of service). */
  radioWaiters: ((up: boolean) => void)[] = [];
  readonly contexts = new Map<number, PdpContextState>();
  cipStage: CipStage = 'IP INITIAL';
  readonly sockets = new Map<number, ModemSocket>();
  /** Start-up URCs that wait for the SIM to be ready. */
  deferredSimUrcs: { text: string; delayMs: number }[] = [];
  private readonly timers = new Set<Timer>();

  constructor(
    readonly id: number,
    profile: ModemProfile,
    private readonly now: () => number,
  ) {
    this.settings = defaultSettings(profile);
  }

  /** Keeps a timer so that `end()` cancels it (timers already due are forgotten). */
  own(t: Timer): Timer {
    if (this.timers.size >= 32) {
      const now = this.now();
      for (const x of this.timers) if (x.due < now) this.timers.delete(x);
    }
    this.timers.add(t);
    return t;
  }

  /** The context `cid`, created with empty settings if new. */
  context(cid: number): PdpContextState {
    let c = this.contexts.get(cid);
    if (!c) {
      c = { cid, apn: '', user: '', password: '', type: 1, auth: 0, active: false };
      this.contexts.set(cid, c);
    }
    return c;
  }

  /** Active contexts. */
  activeContexts(): PdpContextState[] {
    return [...this.contexts.values()].filter((c) => c.active);
  }

  /** Ends the run: timers cancelled, waiting sends told the radio is gone. */
  end(): void {
    this.alive = false;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
    this.regPending?.timer.cancel();
    this.pdpHold?.cancel();
    for (const w of this.radioWaiters.splice(0)) w(false);
  }
}
