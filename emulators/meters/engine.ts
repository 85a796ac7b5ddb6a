/**
 * The IEC 62056-21 protocol of an emulated meter (the tariff device side), mode C:
 *
 *   master → /?address!CRLF                 300 7E1
 *   meter  → /FLGZident CRLF                after its reaction time tr
 *   master → ACK 0 Z 0 CRLF                 readout   (Y = 1: programming mode)
 *   meter  → STX data-lines ! CRLF ETX BCC  at the baud of Z, after tr; then back to 300
 *
 * Programming mode: the meter sends `SOH P0 STX (operand) ETX BCC`, then answers P1 (password:
 * ACK or NAK), R1/R5 reads (`STX addr(value) ETX BCC`, `(ERROR)` for what it does not know),
 * the R5 load profile read `P.01(from;to)`, W1/W5 writes of its clock, and B0 (sign-off). A NAK
 * from the master repeats the last message. Without a valid message for the inactivity time it
 * returns to the start, at 300 baud.
 *
 * Addressing: a request with an address is answered only by the meter it names (leading zeros
 * ignored); one without an address is answered on the optical port and RS-232, and on RS-485
 * only by brands that do so (profile `address`).
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { ACK, ascii, NAK } from '../../core/bytes.ts';
import type { Endpoint, RxChunk } from '../../lines/endpoint.ts';
import {
  baudForZ,
  deviceAddressMatches,
  encodeCommand,
  encodeDataMessage,
  encodeErrorMessage,
  encodeIdentification,
  encodeReadout,
  formatDataLine,
  formatLoadProfile,
  Iec62056Decoder,
  INACTIVITY_TIMEOUT_MIN_MS,
  INTER_CHARACTER_MAX_MS,
  NO_RESPONSE_WAIT_MAX_MS,
  parseDataLine,
  parseLoadProfileRequest,
  type DataSet,
  type Frame,
  type LoadProfileBlock,
  type ProfileTime,
} from '../../protocols/iec62056-21/index.ts';
import type { FaultSet } from './faults.ts';
import type { MeterState } from './meter-state.ts';
import type { MeterProfile } from './profile-schema.ts';
import { formatValue, renderIdentification, renderLine, renderReadout } from './render.ts';

export type MeterPort = 'optical' | 'rs232' | 'rs485';

export interface MeterEngineOptions {
  clock: Clock;
  endpoint: Endpoint;
  profile: MeterProfile;
  state: MeterState;
  faults: FaultSet;
  port: MeterPort;
  /** The device address; defaults to the serial number (with the profile's prefix). */
  address?: string;
  /** Writes a marker on the line's time axis (faults applied, sessions). */
  note?: (text: string) => void;
  /** Called for every frame the meter decodes, with its arrival time. */
  onFrame?: (frame: Frame, at: number) => void;
  /** Called with the data sets of each readout the meter sends, when it starts sending. */
  onReadout?: (sets: DataSet[][], at: number) => void;
}

type Phase = 'idle' | 'identified' | 'busy' | 'programming';

export class MeterEngine {
  private phase: Phase = 'idle';
  private decoder = new Iec62056Decoder({ side: 'master', parity: 'strip' });
  private work: Promise<void> = Promise.resolve();
  private timeout: Timer | undefined;
  private lastSent: Uint8Array | undefined;
  private passwordOk = false;
  private wrongPasswords = 0;
  private rng: number;
  private lastByteAt = -Infinity;
  private readonly off: () => void;
  readonly address: string;

  constructor(private readonly o: MeterEngineOptions) {
    this.address = o.address ?? `${o.profile.address.prefix ?? ''}${o.state.serial}`;
    this.rng = hash(o.state.serial) || 1;
    this.off = o.endpoint.onData((c) => this.onBytes(c));
  }

  dispose(): void {
    this.off();
    this.timeout?.cancel();
  }

  /** Back to the start: 300 baud, waiting for a request. */
  async reset(): Promise<void> {
    this.timeout?.cancel();
    this.phase = 'idle';
    this.passwordOk = false;
    this.freshDecoder();
    if (this.o.endpoint.settings.baudRate !== 300) await this.o.endpoint.update({ baudRate: 300 });
  }

  private onBytes(chunk: RxChunk): void {
    if (!this.o.state.powered || chunk.echo) return;
    // A partial message older than the inter-character time is discarded, and so is anything
    // the UART flagged (framing or parity errors: another baud rate, a collision).
    if (chunk.start - this.lastByteAt > INTER_CHARACTER_MAX_MS || chunk.errors?.length || chunk.collision) this.freshDecoder();
    this.lastByteAt = chunk.end;
    if (chunk.errors?.length || chunk.collision) return;
    for (const ev of this.decoder.push(chunk.bytes)) {
      if (ev.type !== 'frame') continue; // garbage on the line: a meter just keeps listening
      this.o.onFrame?.(ev.frame, chunk.end);
      const frame = ev.frame;
      this.work = this.work.then(() => this.handle(frame)).catch((err: unknown) => this.o.note?.(`meter ${this.o.state.serial}: ${String(err)}`));
    }
  }

  private freshDecoder(): void {
    this.decoder = new Iec62056Decoder({ side: 'master', parity: 'strip' });
  }

  private async handle(frame: Frame): Promise<void> {
    const now = this.o.clock.now();
    switch (frame.kind) {
      case 'request':
        if (this.phase !== 'idle' && this.phase !== 'identified') return;
        return this.onRequest(frame.address);
      case 'option-select':
        if (this.phase !== 'identified') return;
        return this.onOptionSelect(frame.baudChar, frame.modeControl);
      case 'command':
        if (this.phase !== 'programming') return;
        this.armInactivity();
        return this.onCommand(frame.command, frame.type, frame.data ?? '');
      case 'nak':
        if (this.phase === 'programming' && this.lastSent) {
          this.armInactivity();
          await this.answer(this.lastSent);
        }
        return;
      default:
        void now;
    }
  }

  private addressed(requested: string): boolean {
    const f = this.o.faults;
    const now = this.o.clock.now();
    if (requested !== '') {
      if (deviceAddressMatches(requested, this.address) || deviceAddressMatches(requested, this.o.state.serial)) return true;
      return f.take('foreign-address', now) !== undefined; // answers another meter's address
    }
    const policy = this.o.profile.address;
    if (policy.required === 'always') return false;
    if (this.o.port === 'rs485') return policy.required !== 'rs485' && policy.answersWithoutAddress;
    return true;
  }

  private async onRequest(address: string): Promise<void> {
    if (!this.addressed(address)) return;
    const now = this.o.clock.now();
    if (this.o.faults.take('no-answer', now)) {
      this.o.note?.(`fault: meter ${this.o.state.serial} does not answer`);
      return;
    }
    this.phase = 'busy';
    const p = this.o.profile;
    const ident = encodeIdentification({
      manufacturer: p.flag,
      baudChar: String([300, 600, 1200, 2400, 4800, 9600, 19200].indexOf(p.maxBaud)),
      ...renderIdentification(p, this.o.state.serial),
    }, 32);
    await this.answer(ident);
    this.phase = 'identified';
    this.arm(p.quirks.autoReadoutAfterMs ?? NO_RESPONSE_WAIT_MAX_MS, () => {
      if (p.quirks.autoReadoutAfterMs !== undefined) void this.sendReadout(300);
      else void this.reset();
    });
  }

  private async onOptionSelect(baudChar: string, modeControl: string): Promise<void> {
    this.timeout?.cancel();
    const requested = baudForZ(baudChar, 'C') ?? 300;
    const baud = Math.min(requested, this.o.profile.maxBaud);
    if (modeControl === '1') {
      this.phase = 'busy';
      await this.switchAndAnswer(baud, encodeCommand({ command: 'P', type: '0', data: `(${this.o.state.serial})` }));
      this.phase = 'programming';
      this.passwordOk = false;
      this.armInactivity();
      return;
    }
    await this.sendReadout(baud);
  }

  private async sendReadout(baud: number): Promise<void> {
    this.phase = 'busy';
    const now = this.o.clock.now();
    const sets = renderReadout(this.o.profile, this.o.state, now);
    this.o.onReadout?.(sets, now);
    let bytes = encodeReadout(sets);
    bytes = this.applyReadoutFaults(bytes, now);
    await this.switchAndAnswer(baud, bytes);
    await this.reset();
  }

  private applyReadoutFaults(bytes: Uint8Array, now: number): Uint8Array {
    const f = this.o.faults;
    const serial = this.o.state.serial;
    if (f.take('wrong-bcc', now)) {
      bytes = Uint8Array.from(bytes);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x55;
      this.o.note?.(`fault: meter ${serial} sends a wrong BCC`);
    }
    const garble = f.take('garbled-byte', now);
    if (garble && garble.offset < bytes.length) {
      bytes = Uint8Array.from(bytes);
      bytes[garble.offset] = garble.value ?? bytes[garble.offset]! ^ 0x01;
      this.o.note?.(`fault: meter ${serial} garbles byte ${garble.offset}`);
    }
    const cut = f.take('truncated-readout', now);
    if (cut) {
      bytes = bytes.slice(0, cut.afterBytes);
      this.o.note?.(`fault: meter ${serial} stops its readout after ${cut.afterBytes} bytes`);
    }
    return bytes;
  }

  private async onCommand(command: string, type: string, data: string): Promise<void> {
    const f = this.o.faults;
    const now = this.o.clock.now();
    if (command === 'B') {
      await this.reset();
      return;
    }
    if (f.take('programming-nak', now)) return this.answer(Uint8Array.of(NAK));
    if (f.take('programming-error', now)) return this.answer(encodeErrorMessage('ERROR'));
    const prog = this.o.profile.programming;
    if (command === 'P') {
      const expected = `(${prog.passwordP1 ?? '00000000'})`;
      const locked = prog.lockout && this.wrongPasswords >= prog.lockout.attempts;
      if (data === expected && !locked) {
        this.passwordOk = true;
        this.wrongPasswords = 0;
        return this.answer(Uint8Array.of(ACK));
      }
      this.wrongPasswords++;
      return this.answer(Uint8Array.of(NAK));
    }
    if (command === 'R') return this.answer(this.read(data, now));
    if (command === 'W') {
      if (!this.passwordOk) return this.answer(encodeErrorMessage('ERROR'));
      return this.answer(this.write(data, now) ? Uint8Array.of(ACK) : encodeErrorMessage('ERROR'));
    }
    if (command === 'E') return this.answer(this.passwordOk ? Uint8Array.of(ACK) : encodeErrorMessage('ERROR'));
    return this.answer(encodeErrorMessage('ERROR'));
  }

  private read(data: string, now: number): Uint8Array {
    const open = data.indexOf('(');
    const address = open >= 0 ? data.slice(0, open) : data;
    if (/^P\.\d{2}$/.test(address)) return this.readLoadProfile(data);
    const base = address.split('*')[0]!;
    const line = this.o.profile.readout.find((l) => l.obis === base);
    if (!line) return encodeErrorMessage('ERROR');
    const sets = renderLine(line, this.o.state, now).filter((s) => s.address === address);
    if (sets.length === 0) return encodeErrorMessage('ERROR');
    return encodeDataMessage({ text: formatDataLine(sets), partial: false });
  }

  private readLoadProfile(data: string): Uint8Array {
    const lp = this.o.profile.loadProfile;
    if (!lp.supported || !lp.channels?.length) return encodeErrorMessage('ERROR');
    let req;
    try {
      req = parseLoadProfileRequest(data);
    } catch {
      return encodeErrorMessage('ERROR');
    }
    const state = this.o.state;
    state.advanceTo(this.o.clock.now()); // the profile is captured as the registers integrate
    const off = state.utcOffsetMin * 60_000;
    const toMs = (t: ProfileTime | undefined, dflt: number) => (t ? Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second ?? 0) - off : dflt);
    const from = toMs(req.from, -Infinity);
    const to = toMs(req.to, Infinity);
    const entries = state.loadProfile.filter((e) => e.at >= from && e.at <= to);
    if (entries.length === 0) return encodeErrorMessage('ERROR');
    const channels = lp.channels;
    const local = new Date(entries[0]!.at + off);
    const block: LoadProfileBlock = {
      header: {
        profile: req.profile,
        start: { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(), minute: local.getUTCMinutes() },
        status: 0,
        periodMinutes: state.loadProfilePeriodMs / 60_000,
        channels: channels.map((c) => ({ code: c.code, unit: c.unit ?? '' })),
      },
      rows: entries.map((e) => channels.map((c) => formatValue(e.values.get(c.quantity) ?? 0, c.format, state.utcOffsetMin))),
    };
    return encodeDataMessage({ text: formatLoadProfile([block]), partial: false });
  }

  /** Clock writes: `0.9.1(hh:mm:ss)`, `0.9.2(YY-MM-DD)`; other writable addresses are accepted. */
  private write(data: string, now: number): boolean {
    let sets;
    try {
      sets = parseDataLine(data);
    } catch {
      return false;
    }
    const set = sets[0];
    if (!set || !this.o.profile.programming.writable.includes(set.address)) return false;
    const value = set.values[0]?.value ?? '';
    const state = this.o.state;
    const local = state.localTime(now);
    const day = Math.floor(local / 86_400_000) * 86_400_000;
    if (set.address === '0.9.1') {
      const m = /^(\d{2}):?(\d{2}):?(\d{2})?$/.exec(value);
      if (!m) return false;
      const wanted = day + ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000;
      state.setClockError(now, wanted - (now + state.utcOffsetMin * 60_000));
    } else if (set.address === '0.9.2') {
      const m = /^(\d{2})-?(\d{2})-?(\d{2})$/.exec(value);
      if (!m) return false;
      const wanted = Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3])) + (local - day);
      state.setClockError(now, wanted - (now + state.utcOffsetMin * 60_000));
    }
    return true;
  }

  private async switchAndAnswer(baud: number, bytes: Uint8Array): Promise<void> {
    const wrong = this.o.faults.take('wrong-baud', this.o.clock.now());
    if (wrong) this.o.note?.(`fault: meter ${this.o.state.serial} switches to ${wrong.baudRate} baud instead of ${baud}`);
    await this.o.clock.sleep(this.reactionTime());
    await this.o.endpoint.update({ baudRate: wrong?.baudRate ?? baud });
    this.lastSent = bytes;
    await this.o.endpoint.write(bytes);
  }

  private async answer(bytes: Uint8Array): Promise<void> {
    await this.o.clock.sleep(this.reactionTime());
    this.lastSent = bytes;
    await this.o.endpoint.write(bytes);
  }

  /** The profile's reaction time, drawn repeatably per meter; or a fault's late answer. */
  private reactionTime(): number {
    const late = this.o.faults.take('late-answer', this.o.clock.now());
    if (late) {
      this.o.note?.(`fault: meter ${this.o.state.serial} answers after ${late.delayMs} ms`);
      return late.delayMs;
    }
    const { min, max } = this.o.profile.reactionTimeMs;
    this.rng = (Math.imul(this.rng, 1664525) + 1013904223) >>> 0;
    return Math.round(min + ((max - min) * this.rng) / 4294967296);
  }

  private armInactivity(): void {
    this.arm(INACTIVITY_TIMEOUT_MIN_MS, () => void this.reset());
  }

  private arm(ms: number, then: () => void): void {
    this.timeout?.cancel();
    this.timeout = this.o.clock.setTimer(ms, then, `meter ${this.o.state.serial}: time-out`);
  }
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export { ascii };
