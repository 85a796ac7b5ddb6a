/**
 * The Modbus RTU slave engine: one emulated device on an endpoint (an RS-485 drop or a wire end).
 *
 *   line ─► QuietDetector (t3.5 of the line) ─► frame ─► decodeRequest ─► own address or 0?
 *        ─► log ─► behaviors (newest first) ─► faults ─► profile checks ─► register map ◄─► model
 *        ─► encodeResponse ─► wait latency ─► line
 *
 * Like a real slave it drops, without a word, frames with UART errors or a collision, frames that
 * fail the CRC, frames for other addresses and frames whose layout is broken; it answers exception
 * 1 to a function it lacks (codec or profile), 3 to a quantity or value out of limits (the codec's
 * and the profile's), 2 to an address outside its map (`unmapped: exception`, or a read touching
 * no mapped address with `unmapped: zero`) or a write to a read-only or partly covered value.
 * A broadcast (address 0) executes writes and is never answered. A frame that arrives while the
 * device is still answering the previous one is not heard (half duplex).
 *
 * Latency: the answer starts `latency` after the request's last byte. The latency is the profile's
 * `latencyMs` range, placed by a hash of the address, plus a jitter of ±`jitterMs` drawn from a
 * PRNG seeded by the device (its serial). Two devices of one model on one address therefore answer
 * within a fraction of a millisecond of each other and garble each other on the line, which is
 * how a real address collision shows.
 */
import type { Clock } from '../../core/clock/index.ts';
import { fromHex } from '../../core/bytes.ts';
import type { Endpoint, RxChunk } from '../../lines/endpoint.ts';
import { modbusFrameGapMs, QuietDetector, type GapFrame } from '../../lines/quiet.ts';
import {
  answerDeviceId, BROADCAST, COIL_ON, decodeRequest, encodeResponse, EXCEPTION, exceptionResponse,
  ModbusError, requestException, serverIdData, tableOf,
  type DataTable, type DeviceIdentity, type ModbusRequest, type ModbusResponse, type SlaveModel,
} from '../../protocols/modbus-rtu/index.ts';
import type { DeviceModel } from './device-model.ts';
import type { ModbusFaultSet } from './faults.ts';
import type { ModbusProfile, RegisterTable } from './profile-schema.ts';
import type { QuantityName } from './quantities.ts';
import { RegisterMap, type PlannedWrite, type RefusedWrite, type WordOptions } from './register-map.ts';
import { RequestLog, type ReceivedRequest } from './request-log.ts';

/** A one-off handler on top of the profile, for a test step or a quirk. */
export interface ModbusBehavior {
  /**
   * Called for each request the device takes as its own (newest behavior first). Return a
   * response to send it (with the device's latency and line faults), `'handled'` when the behavior
   * did all there is to do (send with `slave.sendRaw` if anything), or undefined to pass it on.
   */
  onRequest(request: ReceivedRequest, slave: ModbusSlave): ModbusResponse | 'handled' | undefined;
}

export interface ModbusSlaveOptions {
  clock: Clock;
  endpoint: Endpoint;
  profile: ModbusProfile;
  model: DeviceModel;
  /** Modbus address, 1..247. */
  address: number;
  faults: ModbusFaultSet;
  /** Seeds the latency jitter (default: the address). */
  seed?: number;
  /** Half-width of the latency jitter (ms, default 0.2). */
  jitterMs?: number;
  /** Writes a marker on the line's time axis (faults acting, address changes). */
  note?: (text: string) => void;
}

const TABLE_OF: Record<DataTable, RegisterTable> = { coils: 'coil', discreteInputs: 'discrete', holdingRegisters: 'holding', inputRegisters: 'input' };

export class ModbusSlave {
  /** The address the device answers on; a write of `device.address` changes it after the answer. */
  address: number;
  readonly log: RequestLog;
  readonly map: RegisterMap;
  private readonly o: ModbusSlaveOptions;
  private readonly behaviors: ModbusBehavior[] = [];
  private readonly detector: QuietDetector;
  private readonly identity: DeviceIdentity;
  private busy = false;
  private rng: number;
  private nextAddress: number | undefined;

  constructor(o: ModbusSlaveOptions) {
    this.o = o;
    this.address = o.address;
    this.map = new RegisterMap(o.profile);
    this.log = new RequestLog(o.clock, `modbus device ${o.address} on ${o.endpoint.id}`);
    this.rng = (o.seed ?? o.address) >>> 0 || 1;
    const id = o.profile.identification ?? {};
    const enc = new TextEncoder();
    this.identity = {
      conformityLevel: 0x81,
      objects: ([[0x00, id.vendorName], [0x01, id.productCode], [0x02, id.revision]] as [number, string | undefined][])
        .flatMap(([oid, text]) => (text === undefined ? [] : [{ id: oid, value: enc.encode(text) }])),
    };
    const ep = o.endpoint;
    // A microsecond under t3.5: a master that starts exactly t3.5 after the last frame (timed by
    // its own detector) must not be merged with it by rounding (clock ms near 1.7e12 keep only
    // about 0.25 µs of resolution).
    const gap = (): number => modbusFrameGapMs(ep.settings) - 1e-3;
    // The detector hears the line as the device's UART does, without its own echo. Chunks that
    // open a frame for another address (and their continuations) are dropped before it: on a bus
    // of many devices each would otherwise wait out t3.5 for every frame of every other device.
    let lastEnd = Number.NEGATIVE_INFINITY;
    let foreign = false;
    const rx: Endpoint = {
      id: ep.id, line: ep.line, get settings() { return ep.settings; }, get closed() { return ep.closed; },
      write: (b) => ep.write(b), update: (s) => ep.update(s), close: () => ep.close(), incomingUntil: () => ep.incomingUntil(),
      onData: (l: (c: RxChunk) => void) => ep.onData((c) => {
        if (c.echo) return;
        if (c.start - lastEnd >= gap()) {
          const to = c.bytes[0];
          foreign = !c.collision && !c.errors?.length && to !== this.address && to !== BROADCAST;
        }
        lastEnd = c.end;
        if (!foreign) l(c);
      }),
    };
    this.detector = new QuietDetector(rx, o.clock, gap, (f) => this.onFrame(f));
  }

  /** Stops listening. */
  dispose(): void {
    this.detector.dispose();
  }

  /** Puts a behavior in front of the others; returns the function that removes it. */
  defineBehavior(b: ModbusBehavior): () => void {
    this.behaviors.unshift(b);
    return () => {
      const i = this.behaviors.indexOf(b);
      if (i >= 0) this.behaviors.splice(i, 1);
    };
  }

  /** Sends bytes as they are, `delayMs` from now (for behaviors). Resolves when they have left. */
  async sendRaw(bytes: Uint8Array, delayMs = 0): Promise<void> {
    if (delayMs > 0) await this.o.clock.sleep(delayMs);
    await this.o.endpoint.write(bytes);
  }

  /** The next answer latency (ms): profile range placed by the address, plus the jitter. */
  latencyMs(): number {
    const { min, max } = this.o.profile.latencyMs;
    const place = addressHash(this.address);
    this.rng = (Math.imul(this.rng, 1664525) + 1013904223) >>> 0;
    const jitter = ((this.rng / 4294967296) * 2 - 1) * (this.o.jitterMs ?? 0.2);
    return Math.min(max, Math.max(min, min + place * (max - min) + jitter));
  }

  /** The value a register of `name` shows at `t` (canonical unit): the model's, or the engine's own address. */
  valueOf(name: QuantityName, t: number): number | undefined {
    return name === 'device.address' ? this.address : this.o.model.read(name, t);
  }

  /** The device's answer to a request by its profile and model, executing writes; no faults. */
  respond(req: ModbusRequest | undefined, fn: number, now: number, words: WordOptions = {}): ModbusResponse {
    const p = this.o.profile;
    if (!req || !(p.functions as number[]).includes(fn)) return exceptionResponse(fn, EXCEPTION.ILLEGAL_FUNCTION);
    if ((req.fn === 3 || req.fn === 4) && req.quantity > p.limits.maxReadRegisters && req.quantity <= 125) return exceptionResponse(fn, EXCEPTION.ILLEGAL_DATA_VALUE);
    if (req.fn === 16 && req.quantity > p.limits.maxWriteRegisters && req.quantity <= 123) return exceptionResponse(fn, EXCEPTION.ILLEGAL_DATA_VALUE);
    const model: SlaveModel = {
      hasRange: (table, address, quantity) => this.map.canRead(TABLE_OF[table], address, quantity),
      hasDeviceObject: (oid) => this.identity.objects.some((x) => x.id === oid),
    };
    const problem = requestException(req, model);
    if (problem !== undefined) return exceptionResponse(fn, problem);
    const source = (name: QuantityName): number | undefined => this.valueOf(name, now);
    switch (req.fn) {
      case 1: case 2:
        return { fn: req.fn, values: this.map.readBits(TABLE_OF[tableOf(req.fn)!] as 'coil' | 'discrete', req.address, req.quantity, source) };
      case 3: case 4:
        return { fn: req.fn, values: this.map.readWords(req.fn === 3 ? 'holding' : 'input', req.address, req.quantity, source, words) };
      case 5:
        return this.apply(this.map.planBitWrite(req.address, [req.value === COIL_ON]), 5, now) ?? { fn: 5, address: req.address, value: req.value };
      case 15:
        return this.apply(this.map.planBitWrite(req.address, req.values), 15, now) ?? { fn: 15, address: req.address, quantity: req.quantity };
      case 6:
        return this.apply(this.map.planWordWrite(req.address, [req.value], words), 6, now) ?? { fn: 6, address: req.address, value: req.value };
      case 16:
        return this.apply(this.map.planWordWrite(req.address, req.values, words), 16, now) ?? { fn: 16, address: req.address, quantity: req.quantity };
      case 17:
        return { fn: 17, data: serverIdData(fromHex(p.identification?.serverIdHex ?? '00'), true) };
      case 43:
        return answerDeviceId(req, this.identity);
    }
  }

  /** Applies planned writes when every value is accepted; returns the exception otherwise. */
  private apply(plan: PlannedWrite[] | RefusedWrite, fn: number, now: number): ModbusResponse | undefined {
    if (!Array.isArray(plan)) return exceptionResponse(fn, plan.exception);
    const ok = plan.every(({ register: r, value }) =>
      r.quantity === 'device.address' ? Number.isInteger(value) && value >= 1 && value <= 247 : this.o.model.accepts(r.quantity, value, now));
    if (!ok) return exceptionResponse(fn, EXCEPTION.ILLEGAL_DATA_VALUE);
    for (const { register: r, value } of plan) {
      if (r.quantity === 'device.address') this.nextAddress = value;
      else this.o.model.write(r.quantity, value, now);
    }
    return undefined;
  }

  private onFrame(frame: GapFrame): void {
    if (frame.errors.length > 0 || frame.collision || this.busy) return;
    // Most frames on a busy line are for others: look at the address byte before decoding.
    const to = frame.bytes[0];
    if (frame.bytes.length < 4 || (to !== this.address && to !== BROADCAST)) return;
    let slave: number;
    let fn: number;
    let request: ModbusRequest | undefined;
    try {
      const d = decodeRequest(frame.bytes);
      ({ slave, request } = d);
      fn = request.fn;
    } catch (e) {
      if (!(e instanceof ModbusError) || e.reason !== 'function' || e.slave === undefined) return;
      slave = e.slave;
      fn = e.fn ?? frame.bytes[1]!;
    }
    if (slave !== this.address && slave !== BROADCAST) return;
    const now = this.o.clock.now();
    if (this.o.faults.take('silent', now)) return;
    const received: ReceivedRequest = { at: frame.end, slave, fn, request, frame: frame.bytes };
    this.log.push(received);
    this.busy = true;
    void this.process(received).catch((err: unknown) => this.o.note?.(`modbus device ${this.address}: ${String(err)}`)).finally(() => {
      this.busy = false;
    });
  }

  private async process(r: ReceivedRequest): Promise<void> {
    const now = this.o.clock.now();
    const faults = this.o.faults;
    const broadcast = r.slave === BROADCAST;
    let response: ModbusResponse | undefined;
    let fromBehavior = false;
    for (const b of [...this.behaviors]) {
      const res = b.onRequest(r, this);
      if (res === 'handled') return;
      if (res) {
        response = res;
        fromBehavior = true;
        break;
      }
    }
    if (!response) {
      if (faults.take('no-answer', now)) return this.note(`fault: device ${this.address} does not answer`);
      const ex = faults.take('exception', now, (f) => f.fn === undefined || f.fn === r.fn);
      if (ex) {
        this.note(`fault: device ${this.address} answers exception ${ex.code}`);
        response = exceptionResponse(r.fn, ex.code);
      } else if (broadcast) {
        if (r.request && [5, 6, 15, 16].includes(r.fn)) this.respond(r.request, r.fn, now, this.wordOptions(r.fn, now));
        this.commitAddress();
        return;
      } else {
        response = this.respond(r.request, r.fn, now, this.wordOptions(r.fn, now));
      }
    }
    if (broadcast) return;
    let bytes: Uint8Array;
    try {
      bytes = encodeResponse(this.address, response, fromBehavior ? { unchecked: true } : {});
    } catch (err) {
      return this.note(`device ${this.address}: cannot encode the answer: ${String(err)}`);
    }
    const late = faults.take('late-answer', now);
    if (late) this.note(`fault: device ${this.address} answers after ${late.delayMs} ms`);
    const wait = r.at + (late ? late.delayMs : this.latencyMs()) - this.o.clock.now();
    if (wait > 0) await this.o.clock.sleep(wait);
    if (faults.take('crc-error', this.o.clock.now())) {
      bytes = Uint8Array.from(bytes);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
      this.note(`fault: device ${this.address} sends a wrong CRC`);
    }
    const split = faults.take('split-response', this.o.clock.now());
    if (split && bytes.length > 1) {
      const at = Math.min(bytes.length - 1, Math.max(1, split.atByte ?? Math.floor(bytes.length / 2)));
      const gap = split.gapMs ?? 2 * modbusFrameGapMs(this.o.endpoint.settings);
      this.note(`fault: device ${this.address} splits its answer after ${at} bytes by ${gap} ms`);
      await this.o.endpoint.write(bytes.slice(0, at));
      await this.o.clock.sleep(gap);
      await this.o.endpoint.write(bytes.slice(at));
    } else {
      await this.o.endpoint.write(bytes);
    }
    this.commitAddress();
  }

  /** Word options for a register read or write: the swapped-words fault acts here. */
  private wordOptions(fn: number, now: number): WordOptions {
    if (![3, 4, 6, 16].includes(fn)) return {};
    return this.o.faults.take('swapped-words', now) ? { swapWords: true } : {};
  }

  private commitAddress(): void {
    if (this.nextAddress === undefined) return;
    this.note(`device ${this.address} now answers on address ${this.nextAddress}`);
    this.address = this.nextAddress;
    this.nextAddress = undefined;
  }

  private note(text: string): void {
    this.o.note?.(text);
  }
}

/** A repeatable place in [0, 1) for an address. */
function addressHash(address: number): number {
  let h = Math.imul(address ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  return h / 4294967296;
}
