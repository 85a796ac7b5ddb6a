/**
 * A site's records written straight into a `Store`, for the reports' tests and the cloud bench:
 * a TEDAŞ-style meter whose cumulative registers integrate a load minute by minute and are read
 * every period (values printed as the meter prints them: `062846.236`, truncated to the register
 * resolution, wrapping at 10^6), Modbus readings, events and I/O changes. Deterministic.
 */
import type { IoRecordBody } from '../../protocols/uplink/io.ts';
import type { ModbusReadingBody, ReadingValue } from '../../protocols/uplink/records.ts';
import type { Store } from '../store/store.ts';

/** The load at a time: active kW drawn, inductive and capacitive kvar, tariff 1..3. */
export interface SiteLoad {
  (t: number): { kw: number; kvarInd: number; kvarCap: number; tariff: 1 | 2 | 3 };
}

/** Appends numbered records of one modem to a store, as the uplink server would. */
export class SiteWriter {
  seq: number;

  constructor(
    readonly store: Store,
    readonly modemNo: string,
    at = 0,
  ) {
    store.provisionModem({ modemNo, secret: 'secret-1234' }, at);
    this.seq = store.modem(modemNo)!.upTo;
  }

  write(kind: string, at: number, body: unknown, receivedAt = at): number {
    const seq = ++this.seq;
    this.store.storeRecord({ modemNo: this.modemNo, record: { seq, at, kind, body }, receivedAt, upTo: seq });
    return seq;
  }

  meterReading(at: number, meterSerial: string, values: ReadingValue[]): number {
    return this.write('meter-reading', at, { port: 'rs485', meterSerial, flag: 'MSY', identification: '<1>C500.KMY.2556', readStart: at - 3000, readEnd: at, values });
  }

  meterMissing(at: number, meterSerial: string): number {
    return this.write('meter-reading', at, { port: 'rs485', meterSerial, readStart: at - 8000, readEnd: at, missing: { reason: 'no-answer', text: 'no answer to the request' } });
  }

  modbusReading(at: number, body: Omit<ModbusReadingBody, 'readStart' | 'readEnd'>): number {
    return this.write('modbus-reading', at, { ...body, readStart: at - 500, readEnd: at });
  }

  event(at: number, name: string, details?: Record<string, unknown>): number {
    return this.write('event', at, details ? { name, details } : { name });
  }

  /** An `io` record, and its row in `io_changes` as the cloud's I/O service keeps it. */
  io(at: number, body: IoRecordBody): number {
    const seq = this.write('io', at, body);
    this.store.db
      .prepare('INSERT OR IGNORE INTO io_changes (modem_no, seq, point, n, on_state, cause, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(this.modemNo, seq, body.point, body.n, body.on ? 1 : 0, body.point === 'output' ? body.cause : null, at);
    return seq;
  }
}

/** A meter's registers in kWh/kvarh, exact (before the meter truncates them for printing). */
export interface MeterRegisters {
  t: [number, number, number];
  ind: number;
  cap: number;
}

export interface MeterRunOptions {
  meterSerial: string;
  from: number;
  to: number;
  /** Reading period, or the period from a reading's time on. */
  periodMs: number | ((t: number) => number);
  load: SiteLoad;
  registers?: MeterRegisters | undefined;
  /** Leave out the readings for which this returns true (a failed read is written instead). */
  skip?: ((at: number) => boolean) | undefined;
  /** Print only the tariff registers (no `1.8.0`). */
  tariffsOnly?: boolean | undefined;
  /** Further data sets printed in every readout (history lines, status), as a real readout has. */
  extraValues?: ReadingValue[] | undefined;
}

const MINUTE = 60_000;

/**
 * Runs the meter from `from` to `to` (minute steps, the load taken at each minute's start) and
 * writes a reading at `from` and every `periodMs`. Returns the registers at `to`.
 */
export function runMeter(w: SiteWriter, o: MeterRunOptions): MeterRegisters {
  return w.store.db.transaction(() => runMeterLocked(w, o))();
}

function runMeterLocked(w: SiteWriter, o: MeterRunOptions): MeterRegisters {
  const r: MeterRegisters = o.registers ? { t: [...o.registers.t], ind: o.registers.ind, cap: o.registers.cap } : { t: [0, 0, 0], ind: 0, cap: 0 };
  let next = o.from;
  for (let t = o.from; t <= o.to; t += MINUTE) {
    if (t >= next) {
      if (o.skip?.(t)) w.meterMissing(t, o.meterSerial);
      else w.meterReading(t, o.meterSerial, [...meterValues(r, o.tariffsOnly, o.load(t)), ...(o.extraValues ?? [])]);
      next += typeof o.periodMs === 'number' ? o.periodMs : o.periodMs(t);
    }
    if (t === o.to) break;
    const l = o.load(t);
    r.t[l.tariff - 1]! += l.kw / 60;
    r.ind += l.kvarInd / 60;
    r.cap += l.kvarCap / 60;
  }
  return r;
}

/** The energy a load draws over `[from, to)` at minute steps, as `runMeter` counts it. */
export function loadIntegral(load: SiteLoad, from: number, to: number): { kwh: number; t: [number, number, number]; ind: number; cap: number } {
  const out = { kwh: 0, t: [0, 0, 0] as [number, number, number], ind: 0, cap: 0 };
  for (let t = from; t < to; t += MINUTE) {
    const l = load(t);
    out.kwh += l.kw / 60;
    out.t[l.tariff - 1]! += l.kw / 60;
    out.ind += l.kvarInd / 60;
    out.cap += l.kvarCap / 60;
  }
  return out;
}

/** A register as a TEDAŞ meter prints it: 6 integer digits, 3 decimals, truncated, wrapping at 10^6. */
export function printRegister(v: number): string {
  const milli = Math.floor(v * 1000 + 1e-6) % 1_000_000_000;
  return (milli / 1000).toFixed(3).padStart(10, '0');
}

function meterValues(r: MeterRegisters, tariffsOnly: boolean | undefined, l: ReturnType<SiteLoad>): ReadingValue[] {
  const total = r.t[0] + r.t[1] + r.t[2];
  const v: ReadingValue[] = [{ address: '0.0.0', value: '80099921' }];
  if (!tariffsOnly) v.push({ address: '1.8.0', value: printRegister(total), unit: 'kWh' });
  v.push(
    { address: '1.8.1', value: printRegister(r.t[0]), unit: 'kWh' },
    { address: '1.8.2', value: printRegister(r.t[1]), unit: 'kWh' },
    { address: '1.8.3', value: printRegister(r.t[2]), unit: 'kWh' },
    { address: '1.8.4', value: printRegister(0), unit: 'kWh' },
    { address: '5.8.0', value: printRegister(r.ind), unit: 'kVArh' },
    { address: '8.8.0', value: printRegister(r.cap), unit: 'kVArh' },
  );
  const amps = (l.kw * 1000) / (3 * 230 * 0.95);
  v.push(
    { address: '31.7.0', value: amps.toFixed(3).padStart(6, '0'), unit: 'A' },
    { address: '51.7.0', value: (amps * 0.98).toFixed(3).padStart(6, '0'), unit: 'A' },
    { address: '71.7.0', value: (amps * 1.02).toFixed(3).padStart(6, '0'), unit: 'A' },
    { address: '32.7.0', value: '230.10', unit: 'V' },
    { address: '52.7.0', value: '229.80', unit: 'V' },
    { address: '72.7.0', value: '231.40', unit: 'V' },
  );
  return v;
}
