/**
 * The terminal's Modbus polling: each period it reads every declared device, port by port in
 * list order, with its device type's register set (merged into few requests, `plan.ts`), and
 * hands one `modbus-reading` record per device to the sink.
 *
 * - A request whose tries all end without an answer (no answer, CRC error, partial, collision,
 *   mismatch) ends the device's poll for this period: its remaining requests are not sent. An
 *   exception ends only that request: the others are still read.
 * - The record has `values` for what was read and `missing` (the first failure and how many
 *   requests failed or were not sent) when something was not; both when partly read.
 * - A device that answered nothing valid in a period (not even an exception) raises
 *   `modbus-device-not-answering` once; `modbus-device-answering-again` once it answers again.
 * - `modbus-address-collision` names an address when its answer came garbled (UART errors, a
 *   collision on the line) or when a second answer came from it after one was taken; once,
 *   until a period reads the address without such evidence.
 */
import type { Clock } from '../../core/clock/index.ts';
import { toHex } from '../../core/bytes.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { describeRequest } from '../../protocols/modbus-rtu/index.ts';
import type { ModbusDeviceType, ModbusPort } from '../../protocols/uplink/modbus-config.ts';
import type { ModbusReadingBody, ModbusReadingValue } from '../../protocols/uplink/records.ts';
import { decodeBlock } from './decode.ts';
import { ModbusMaster, type ModbusMasterOptions } from './master.ts';
import { answered, missingReasonOf, type Exchange } from './outcome.ts';
import { planReads, type ReadBlock } from './plan.ts';
import { registerSetName, type RegisterSet } from './register-set.ts';

/** What the poller produces; the terminal puts it in its outbox. */
export type ModbusPollerRecord =
  | { kind: 'modbus-reading'; at: number; body: ModbusReadingBody }
  | { kind: 'event'; at: number; body: { name: string; details?: Record<string, unknown> } };

/** A declared device with the register set chosen for it. */
export interface PolledDevice {
  address: number;
  type: ModbusDeviceType;
  port: ModbusPort;
  set: RegisterSet;
}

export interface ModbusPollerOptions {
  clock: Clock;
  ports: Partial<Record<ModbusPort, Endpoint>>;
  /** Receives each record; resolves once it is stored durably. */
  sink: (record: ModbusPollerRecord) => Promise<void>;
  /** Called around each exchange on a port (the port's communication LED). */
  activity?: (port: ModbusPort, busy: boolean) => void;
  /** Master settings for every port: response time-out, retries, line settings. */
  master?: Omit<ModbusMasterOptions, 'endpoint' | 'clock'>;
}

/** One device's poll in a period. */
export interface DevicePollResult {
  device: PolledDevice;
  body: ModbusReadingBody;
  exchanges: Exchange[];
  /** The device said something valid (an answer or an exception). */
  answered: boolean;
}

const MAX_EVIDENCE = 64;

export class ModbusPoller {
  private list: PolledDevice[] = [];
  private readonly masters = new Map<ModbusPort, ModbusMaster>();
  private readonly plans = new WeakMap<RegisterSet, ReadBlock[]>();
  private readonly failing = new Set<string>();
  private readonly colliding = new Set<string>();
  /** Addresses whose last exchange was answered: a later frame from them is a second answer. */
  private readonly answeredLast = new Set<string>();
  /** Addresses with collision evidence in the current period. */
  private evidence = new Set<string>();

  constructor(private readonly o: ModbusPollerOptions) {}

  /** The devices polled from the next period on. */
  setDevices(devices: readonly PolledDevice[]): void {
    this.list = [...devices];
    const keep = new Set(devices.map(keyOf));
    for (const set of [this.failing, this.colliding, this.answeredLast]) for (const k of [...set]) if (!keep.has(k)) set.delete(k);
  }

  get devices(): readonly PolledDevice[] {
    return this.list;
  }

  /** The read requests of a register set (merged), as the poller sends them. */
  planOf(set: RegisterSet): ReadBlock[] {
    let p = this.plans.get(set);
    if (!p) {
      p = planReads(set);
      this.plans.set(set, p);
    }
    return p;
  }

  /** The master of a port (made on first use). */
  masterOf(port: ModbusPort): ModbusMaster | undefined {
    let m = this.masters.get(port);
    const ep = this.o.ports[port];
    if (!m && ep) {
      m = new ModbusMaster({ ...this.o.master, endpoint: ep, clock: this.o.clock });
      this.masters.set(port, m);
    }
    return m;
  }

  /** Reads every device once, RS-485 line first, and stores the records. */
  async pollAll(signal?: AbortSignal): Promise<DevicePollResult[]> {
    const devices = [...this.list].sort((a, b) => (a.port === b.port ? 0 : a.port === 'rs485' ? -1 : 1));
    const results: DevicePollResult[] = [];
    this.evidence = new Set();
    for (const device of devices) {
      if (signal?.aborted) break;
      const master = this.masterOf(device.port);
      if (!master) continue;
      const r = await this.pollDevice(device, master, signal);
      if (r) results.push(r);
    }
    // An address read in this period without collision evidence is clear again.
    for (const r of results) {
      const k = keyOf(r.device);
      if (!this.evidence.has(k)) this.colliding.delete(k);
    }
    return results;
  }

  dispose(): void {
    for (const m of this.masters.values()) m.dispose();
    this.masters.clear();
  }

  private async pollDevice(device: PolledDevice, master: ModbusMaster, signal: AbortSignal | undefined): Promise<DevicePollResult | undefined> {
    const plan = this.planOf(device.set);
    const key = keyOf(device);
    const exchanges: Exchange[] = [];
    const values: ModbusReadingValue[] = [];
    const failed: { block: ReadBlock; ex: Exchange }[] = [];
    const skipped: string[] = [];
    let notSent = 0;
    let stopped = 0;
    let garbled: Uint8Array | undefined;
    for (let i = 0; i < plan.length; i++) {
      const block = plan[i]!;
      if (signal?.aborted) {
        stopped = plan.length - i;
        break;
      }
      this.o.activity?.(device.port, true);
      let ex: Exchange;
      try {
        ex = await master.execute(device.address, block.request, signal);
      } catch (err) {
        if (signal?.aborted) {
          stopped = plan.length - i;
          break;
        }
        throw err;
      } finally {
        this.o.activity?.(device.port, false);
      }
      exchanges.push(ex);
      await this.strays(device, ex);
      for (const a of ex.attempts) if (a.outcome.kind === 'collision') garbled ??= a.outcome.bytes;
      const o = ex.outcome;
      if (o.kind === 'ok') {
        const d = decodeBlock(block, (o.response as { values: number[] | boolean[] }).values);
        values.push(...d.values);
        skipped.push(...d.skipped);
      } else {
        failed.push({ block, ex });
        if (!ex.attempts.some((a) => answered(a.outcome))) {
          notSent = plan.length - i - 1;
          break;
        }
      }
    }
    if (exchanges.length === 0) return undefined;
    const isAnswered = exchanges.some((e) => e.attempts.some((a) => answered(a.outcome)));
    if (isAnswered) this.answeredLast.add(key);
    else this.answeredLast.delete(key);
    const body: ModbusReadingBody = {
      port: device.port,
      address: device.address,
      type: device.type,
      model: registerSetName(device.set),
      readStart: Math.round(exchanges[0]!.start),
      readEnd: Math.round(exchanges[exchanges.length - 1]!.end),
    };
    if (values.length > 0 || failed.length === 0) body.values = values;
    const first = failed[0];
    if (first) {
      const reason = missingReasonOf(first.ex.outcome)!;
      const more = [failed.length > 1 ? `${failed.length - 1} more request${failed.length > 2 ? 's' : ''} failed` : '', notSent ? `${notSent} not sent` : '', skipped.length ? `not numbers: ${skipped.join(', ')}` : ''].filter(Boolean).join('; ');
      const o = first.ex.outcome;
      const tries = first.ex.attempts.length;
      const text = `${describeRequest(device.address, first.block.request)}: ${o.kind === 'ok' ? '' : o.text} (${tries} tr${tries === 1 ? 'y' : 'ies'})${more ? `; ${more}` : ''}`;
      body.missing = { reason, text: text.slice(0, 256), ...(o.kind === 'exception' ? { code: o.code } : {}) };
    } else if (stopped || skipped.length) {
      const parts = [stopped ? `poll stopped: ${stopped} request${stopped === 1 ? '' : 's'} not sent` : '', skipped.length ? `not numbers: ${skipped.join(', ')}` : ''];
      body.missing = { reason: 'other', text: parts.filter(Boolean).join('; ').slice(0, 256) };
    }
    const at = body.readEnd;
    await this.o.sink({ kind: 'modbus-reading', at, body });
    const who = { port: device.port, address: device.address, type: device.type };
    if (!isAnswered && !this.failing.has(key)) {
      this.failing.add(key);
      await this.o.sink({ kind: 'event', at, body: { name: 'modbus-device-not-answering', details: { ...who, reason: body.missing?.reason ?? 'no-answer', attempts: exchanges.reduce((n, e) => n + e.attempts.length, 0) } } });
    } else if (isAnswered && this.failing.delete(key)) {
      await this.o.sink({ kind: 'event', at, body: { name: 'modbus-device-answering-again', details: who } });
    }
    if (garbled) await this.collision(device.port, device.address, 'garbled answer', garbled, at);
    return { device, body, exchanges, answered: isAnswered };
  }

  /** Frames that were not an answer: a valid frame from an address already answered is a second answer. */
  private async strays(device: PolledDevice, ex: Exchange): Promise<void> {
    for (const s of ex.strays) {
      const from = s.from?.slave;
      if (from === undefined) continue;
      const k = `${device.port}/${from}`;
      if (!this.answeredLast.has(k)) continue; // a late answer to a request that timed out
      await this.collision(device.port, from, 'second answer', s.bytes, Math.round(s.end));
    }
  }

  private async collision(port: ModbusPort, address: number, how: string, bytes: Uint8Array, at: number): Promise<void> {
    const k = `${port}/${address}`;
    this.evidence.add(k);
    if (this.colliding.has(k)) return;
    this.colliding.add(k);
    await this.o.sink({ kind: 'event', at, body: { name: 'modbus-address-collision', details: { port, address, how, evidence: toHex(bytes.slice(0, MAX_EVIDENCE)) } } });
  }
}

function keyOf(d: { port: ModbusPort; address: number }): string {
  return `${d.port}/${d.address}`;
}
