/**
 * The terminal's uplink: keeps a session with the cloud and drains the outbox into it.
 *
 * - Connects through a `LinkDialer` (Ethernet, or the modem's socket), authenticates, sends the
 *   unacknowledged records in seq order with at most `window` in flight, removes them from the
 *   outbox as ACKs arrive, and after any reconnect starts again from the oldest unacknowledged.
 * - Reconnects with back-off (see `timing.ts`), forever, until `stop()`.
 * - Reports its state (`disconnected` → `connecting` → `authenticating` → `online`) with the last
 *   error text, and a busy/idle indication for the data LED.
 * - Hands pushes from the cloud to the registered handler and answers with its result; a push
 *   id seen again (the cloud resends after a lost PUSH_ACK) is answered from memory, not re-run.
 * All waiting is on the clock; nothing here reads wall time.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { CancelledError, errorMessage } from '../../core/errors.ts';
import { createLogger, type Logger } from '../../core/log.ts';
import type { ByteLink, LinkDialer } from '../../lines/net/link.ts';
import type { WelcomeMessage } from '../../protocols/uplink/messages.ts';
import { ClientSession, type PushHandler, type PushResult, type UplinkIdentity } from './client-session.ts';
import type { Outbox } from './outbox.ts';
import { backoffDelay, DEFAULT_UPLINK_TIMING, type UplinkTiming } from './timing.ts';

export type UplinkState = 'disconnected' | 'connecting' | 'authenticating' | 'online';

export interface UplinkStatus {
  state: UplinkState;
  /** Clock ms when `state` was entered. */
  since: number;
  lastError: string | undefined;
  lastErrorAt: number | undefined;
  /** Failures in a row (reset by a session that reached `online`). */
  failures: number;
  /** When the next connection attempt is due, while waiting out the back-off. */
  nextAttemptAt: number | undefined;
  /** Sessions that reached `online` so far. */
  sessions: number;
  /** From the last WELCOME. */
  serverTime: number | undefined;
  configVersion: number | undefined;
  lastAckedSeq: number;
  pending: number;
  inFlight: number;
}

export interface UplinkClientOptions {
  clock: Clock;
  dialer: LinkDialer;
  identity: UplinkIdentity;
  outbox: Outbox;
  /** Most records sent and not yet acknowledged (default 16). */
  window?: number;
  timing?: Partial<UplinkTiming>;
  logger?: Logger;
  /**
   * Offer payload compression in HELLO (protocols/uplink/compression.ts); used when the cloud
   * accepts it. Default true: a data SIM is billed by the byte.
   */
  compress?: boolean;
}

export class UplinkClient {
  private readonly clock: Clock;
  private readonly timing: UplinkTiming;
  private readonly log: Logger;
  private readonly window: number;
  private current: UplinkState = 'disconnected';
  private since: number;
  private lastError: string | undefined;
  private lastErrorAt: number | undefined;
  private failures = 0;
  private nextAttemptAt: number | undefined;
  private sessions = 0;
  private welcome: WelcomeMessage | undefined;
  private session: ClientSession | undefined;
  private loopDone: Promise<void> | undefined;
  private stopping: AbortController | undefined;
  private wake: AbortController | undefined;
  private busy = false;
  private busyTimer: Timer | undefined;
  private pushHandler: PushHandler | undefined;
  private readonly pushResults = new Map<string, PushResult>();
  private readonly stateListeners = new Set<(s: UplinkStatus) => void>();
  private readonly activityListeners = new Set<(busy: boolean) => void>();
  private readonly welcomeListeners = new Set<(w: WelcomeMessage) => void>();
  private unsubscribeOutbox: (() => void) | undefined;

  constructor(private readonly options: UplinkClientOptions) {
    this.clock = options.clock;
    this.timing = { ...DEFAULT_UPLINK_TIMING, ...options.timing };
    this.window = Math.max(1, options.window ?? 16);
    this.log = options.logger ?? createLogger('uplink', { modem: options.identity.modemNo });
    this.since = this.clock.now();
  }

  /** Starts connecting (once; a started client keeps trying until stopped). */
  start(): void {
    if (this.loopDone) return;
    this.stopping = new AbortController();
    this.unsubscribeOutbox = this.options.outbox.onAppend(() => this.session?.pump());
    this.loopDone = this.loop(this.stopping.signal);
  }

  /**
   * Says BYE if online, closes the link, stops reconnecting. Resolves once the client is idle
   * (no timers left on the clock).
   */
  async stop(reason = 'terminal stopping'): Promise<void> {
    if (!this.loopDone || !this.stopping) return;
    this.stopping.abort(new CancelledError(reason));
    this.session?.end(reason, true);
    await this.loopDone;
    this.loopDone = undefined;
    this.unsubscribeOutbox?.();
    this.busyTimer?.cancel();
    this.busyTimer = undefined;
    this.setBusy(false);
  }

  /** Skips the rest of the back-off wait (the network came back, a test wants it now). */
  connectNow(): void {
    this.wake?.abort();
  }

  /** Registers the handler of config and command pushes (replaces any earlier one). */
  setPushHandler(handler: PushHandler | undefined): void {
    this.pushHandler = handler;
  }

  status(): UplinkStatus {
    return {
      state: this.current,
      since: this.since,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      failures: this.failures,
      nextAttemptAt: this.nextAttemptAt,
      sessions: this.sessions,
      serverTime: this.welcome?.serverTime,
      configVersion: this.welcome?.configVersion,
      lastAckedSeq: this.options.outbox.lastAcked,
      pending: this.options.outbox.pendingCount,
      inFlight: this.session?.inFlight ?? 0,
    };
  }

  get state(): UplinkState {
    return this.current;
  }

  /** Called on every state change and every new last error. */
  onState(listener: (s: UplinkStatus) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Data exchange in progress (true) or over (false), for the data LED. */
  onActivity(listener: (busy: boolean) => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  /** Called with every WELCOME (server time, config version). */
  onWelcome(listener: (w: WelcomeMessage) => void): () => void {
    this.welcomeListeners.add(listener);
    return () => this.welcomeListeners.delete(listener);
  }

  private async loop(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      this.nextAttemptAt = undefined;
      this.setState('connecting');
      let link: ByteLink;
      try {
        link = await this.dial(stop);
      } catch (err) {
        if (stop.aborted) break;
        this.fail(errorMessage(err));
        await this.backoff(stop);
        continue;
      }
      const session = new ClientSession({
        clock: this.clock,
        link,
        identity: this.options.identity,
        outbox: this.options.outbox,
        timing: this.timing,
        window: this.window,
        log: this.log,
        pushHandler: () => this.pushHandler,
        pushResults: this.pushResults,
        onAuthenticating: () => this.setState('authenticating'),
        onOnline: (w) => this.online(w),
        onTraffic: () => this.traffic(),
        onWarning: (text) => this.noteError(text),
        compress: this.options.compress ?? true,
      });
      this.session = session;
      const outcome = await session.run();
      this.session = undefined;
      if (stop.aborted) break;
      this.fail(outcome.reason);
      await this.backoff(stop);
    }
    this.nextAttemptAt = undefined;
    this.setState('disconnected');
  }

  private async dial(stop: AbortSignal): Promise<ByteLink> {
    const ms = this.timing.connectTimeoutMs;
    const abort = new AbortController();
    const onStop = () => abort.abort();
    stop.addEventListener('abort', onStop, { once: true });
    const attempt = this.options.dialer.dial();
    try {
      return await Promise.race([
        attempt,
        this.clock.sleep(ms, abort.signal).then(() => {
          throw new Error(`cannot connect: no connection within ${ms} ms`);
        }),
      ]);
    } catch (err) {
      // A dial that completes after we gave up is closed at once.
      attempt.then((l) => l.close('connect attempt abandoned')).catch(() => undefined);
      throw err;
    } finally {
      abort.abort();
      stop.removeEventListener('abort', onStop);
    }
  }

  private async backoff(stop: AbortSignal): Promise<void> {
    this.failures++;
    const ms = backoffDelay(this.failures, this.timing);
    this.nextAttemptAt = this.clock.now() + ms;
    this.setState('disconnected');
    this.log.info({ failures: this.failures, waitMs: ms }, 'uplink waiting before reconnecting');
    this.wake = new AbortController();
    const onStop = () => this.wake?.abort();
    stop.addEventListener('abort', onStop, { once: true });
    try {
      await this.clock.sleep(ms, this.wake.signal);
    } catch {
      // woken early by connectNow() or stop()
    } finally {
      stop.removeEventListener('abort', onStop);
      this.wake = undefined;
    }
  }

  private online(w: WelcomeMessage): void {
    this.welcome = w;
    this.sessions++;
    this.failures = 0;
    this.nextAttemptAt = undefined;
    this.setState('online');
    this.log.info({ serverTime: w.serverTime, configVersion: w.configVersion, cloudUpTo: w.upTo, pending: this.options.outbox.pendingCount }, 'uplink online');
    for (const l of [...this.welcomeListeners]) l(w);
  }

  private fail(text: string): void {
    this.log.warn({ err: text }, 'uplink session ended');
    this.noteError(text);
  }

  private noteError(text: string): void {
    this.lastError = text;
    this.lastErrorAt = this.clock.now();
    this.emitState();
  }

  private setState(s: UplinkState): void {
    if (s === this.current) {
      this.emitState();
      return;
    }
    this.current = s;
    this.since = this.clock.now();
    this.emitState();
  }

  private emitState(): void {
    const st = this.status();
    for (const l of [...this.stateListeners]) l(st);
  }

  private traffic(): void {
    this.setBusy(true);
    this.busyTimer?.cancel();
    this.busyTimer = this.clock.setTimer(
      this.timing.activityHoldMs,
      () => {
        this.busyTimer = undefined;
        this.setBusy(false);
      },
      `uplink ${this.options.identity.modemNo}: activity`,
    );
  }

  private setBusy(busy: boolean): void {
    if (busy === this.busy) return;
    this.busy = busy;
    for (const l of [...this.activityListeners]) l(busy);
  }
}
