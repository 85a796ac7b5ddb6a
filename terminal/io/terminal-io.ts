/**
 * The I/O block of an HT GSM/4G terminal: dry-contact inputs (debounced), relay outputs with the
 * weekly schedule, the mains outage detector (AC models only), and the "I/O support" flag the
 * cloud sets per modem.
 *
 * - I/O support off (the factory state, until the cloud pushes I/O settings with `enabled`):
 *   input changes are not reported, relay commands are refused with a reason, the schedule
 *   does not run and the relays are released. Outage detection does not depend on it.
 * - Input changes are stored at once (the uplink sends them as soon as it is online), relay
 *   changes likewise, each as an `io` record; outages as `outage-start`/`outage-end` events.
 * - Pushes: `config` with an `io` key (settings) and `command` `relay-set`.
 */
import type { Clock } from '../../core/clock/index.ts';
import { createLogger, type Logger } from '../../core/log.ts';
import { checkIoCommand, checkIoConfigPushBody, isIoConfigBody, type IoConfigPushBody } from '../../protocols/uplink/io.ts';
import type { PushMessage } from '../../protocols/uplink/messages.ts';
import type { TerminalModel } from '../models/schema.ts';
import type { PushResult } from '../uplink/client-session.ts';
import { DebouncedInputs, type InputChange } from './debounce.ts';
import { OutageDetector } from './outage.ts';
import type { IoPins, IoSink } from './pins.ts';
import { RelayOutputs, type RelayChange } from './relays.ts';
import { memoryIoState, type IoState, type IoStateStore } from './state-file.ts';

export interface TerminalIoOptions {
  clock: Clock;
  model: Pick<TerminalModel, 'model' | 'io' | 'outageDetection'>;
  pins: IoPins;
  /** The terminal's outbox. */
  sink: IoSink;
  /** Input debounce (default 50 ms). */
  debounceMs?: number;
  /** Mains debounce and backup hold-up of the outage detector. */
  outage?: { debounceMs?: number; holdUpMs?: number };
  /** The backup supply ran out during an outage: the owner powers the terminal off. */
  onPowerFail?: () => void;
  /** Where settings and an open outage survive restarts (default: in memory). */
  state?: IoStateStore;
  /** The IN and OUT LEDs (lit while any input is closed / any relay is on). */
  led?: (name: 'in' | 'out', on: boolean) => void;
  logger?: Logger;
}

export class TerminalIo {
  readonly inputs: DebouncedInputs;
  readonly relays: RelayOutputs;
  readonly outage: OutageDetector | undefined;
  private config: IoConfigPushBody | undefined;
  private state: IoState = {};
  private readonly store: IoStateStore;
  private readonly log: Logger;
  private running = false;
  /** Stores in flight, so that `idle()` can wait for them. */
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly o: TerminalIoOptions) {
    this.store = o.state ?? memoryIoState();
    this.log = o.logger ?? createLogger('terminal-io', { model: o.model.model });
    this.inputs = new DebouncedInputs({ clock: o.clock, pins: o.pins, count: o.model.io.inputs, debounceMs: o.debounceMs ?? 50, onChange: (c) => this.onInput(c) });
    this.relays = new RelayOutputs({ clock: o.clock, pins: o.pins, count: o.model.io.outputs, onChange: (c) => this.onRelay(c) });
    this.outage = o.model.outageDetection
      ? new OutageDetector({
          clock: o.clock,
          pins: o.pins,
          sink: (r) => this.write(r),
          ...(o.outage?.debounceMs !== undefined ? { debounceMs: o.outage.debounceMs } : {}),
          ...(o.outage?.holdUpMs !== undefined ? { holdUpMs: o.outage.holdUpMs } : {}),
          ...(o.onPowerFail ? { onPowerFail: o.onPowerFail } : {}),
          persist: (since) => this.saveState({ ...this.state, outageSince: since }),
        })
      : undefined;
  }

  /** I/O support is on (settings pushed with `enabled: true`). */
  get enabled(): boolean {
    return this.config?.io.enabled ?? false;
  }

  /** The I/O settings in force (undefined until the cloud pushed some). */
  get settings(): IoConfigPushBody | undefined {
    return this.config;
  }

  /** Loads the stored settings, starts watching inputs and mains, starts the schedule. */
  async start(): Promise<void> {
    const { state, problem } = await this.store.load();
    if (problem) this.log.warn({ problem }, 'I/O state file not used');
    this.state = state;
    this.running = true;
    this.inputs.start();
    await this.outage?.start(state.outageSince);
    if (state.config) this.apply(state.config);
    this.leds();
  }

  /** Stops everything; the relays drop (as with the supply gone: nothing is reported). */
  dispose(): void {
    this.running = false;
    this.inputs.dispose();
    this.relays.releaseAll('disabled', false);
    this.relays.dispose();
    this.outage?.dispose();
    this.leds();
  }

  /** Resolves once every record handed to the sink so far is stored. */
  idle(): Promise<void> {
    return this.writes;
  }

  /** Whether this block handles a push (an I/O config, or a command). */
  handles(push: Pick<PushMessage, 'kind' | 'body'>): boolean {
    return push.kind === 'command' || (push.kind === 'config' && isIoConfigBody(push.body));
  }

  /** Handles an I/O `config` push or a `command` push; the result goes back in the PUSH_ACK. */
  async handlePush(push: Pick<PushMessage, 'id' | 'kind' | 'body'>): Promise<PushResult> {
    if (push.kind === 'config') {
      const c = checkIoConfigPushBody(push.body);
      if (!c.ok) return { ok: false, text: `io config: ${c.message}` };
      const tooHigh = c.value.io.schedule.find((e) => e.output > this.o.model.io.outputs);
      if (tooHigh) return { ok: false, text: `io config: ${this.o.model.model} has no output C${tooHigh.output}` };
      if (this.config && c.value.ioVersion < this.config.ioVersion) return { ok: true, text: `io config version ${c.value.ioVersion} is older than ${this.config.ioVersion}; kept ${this.config.ioVersion}` };
      await this.saveState({ ...this.state, config: c.value });
      this.apply(c.value);
      await this.idle();
      return { ok: true, text: `io config version ${c.value.ioVersion} applied (I/O support ${c.value.io.enabled ? 'on' : 'off'})` };
    }
    const c = checkIoCommand(push.body);
    if (!c.ok) return { ok: false, text: `command: ${c.message}` };
    if (!this.enabled) return { ok: false, text: `refused: I/O support is off on this modem` };
    const cmd = c.value;
    if (cmd.output > this.relays.count) return { ok: false, text: `refused: ${this.o.model.model} has no output C${cmd.output}` };
    if (cmd.until !== undefined && cmd.until <= this.o.clock.now()) return { ok: false, text: `refused: 'until' ${cmd.until} is already past` };
    this.relays.command(cmd.output, cmd.on, cmd.source === 'automation' ? 'automation' : 'command', { until: cmd.until, push: push.id });
    await this.idle();
    return { ok: true, text: `C${cmd.output} ${cmd.on ? 'on' : 'off'}` };
  }

  private apply(config: IoConfigPushBody): void {
    const wasEnabled = this.enabled;
    this.config = config;
    if (!config.io.enabled) {
      if (wasEnabled) this.relays.releaseAll('disabled');
      else this.relays.stopSchedule();
      return;
    }
    if (!wasEnabled) {
      // I/O support just switched on: report where the inputs stand.
      for (let n = 1; n <= this.o.model.io.inputs; n++) this.onInput({ n, closed: this.inputs.state(n), at: this.o.clock.now() });
    }
    this.relays.setSchedule(config.io.schedule, config.io.utcOffsetMin);
  }

  private onInput(c: InputChange): void {
    this.leds();
    if (!this.enabled) return;
    void this.write({ kind: 'io', at: Math.round(c.at), body: { point: 'input', n: c.n, on: c.closed } });
  }

  private onRelay(c: RelayChange): void {
    this.leds();
    void this.write({ kind: 'io', at: Math.round(c.at), body: { point: 'output', n: c.n, on: c.on, cause: c.cause, ...(c.push ? { push: c.push } : {}) } });
  }

  private leds(): void {
    if (!this.o.led) return;
    let anyIn = false;
    let anyOut = false;
    for (let n = 1; n <= this.o.model.io.inputs; n++) anyIn ||= this.running && this.inputs.state(n);
    for (let n = 1; n <= this.relays.count; n++) anyOut ||= this.relays.isOn(n);
    this.o.led('in', anyIn);
    this.o.led('out', anyOut);
  }

  private saveState(s: IoState): Promise<void> {
    this.state = s;
    return this.store.save(s);
  }

  private write(r: Parameters<IoSink>[0]): Promise<void> {
    const w = this.writes.then(() => this.o.sink(r)).catch((err: unknown) => this.log.error({ err: String(err), kind: r.kind }, 'I/O record not stored'));
    this.writes = w;
    return w;
  }
}
