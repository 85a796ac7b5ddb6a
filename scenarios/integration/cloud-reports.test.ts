/**
 * The cloud's reports from a real terminal reading an emulated meter: an HT E21 polls a Makel
 * C500 on RS-485 every 15 minutes for a day and sends its readouts to the fake cloud; the hourly
 * consumption and the reactive ratio the cloud computes from the stored registers equal the
 * emulated load's integrals within the register resolution (1 Wh, 1 varh).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { IEC_OPENING } from '../../lines/settings.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { findMeterProfile } from '../../emulators/meters/profile-loader.ts';
import { SiteLoad, integrate } from '../../emulators/site/load.ts';
import { FakeCloud } from '../../fake-cloud/index.ts';
import { Reports, reactiveRatio } from '../../fake-cloud/reports/index.ts';
import { parseTerminalConfig } from '../../terminal/config.ts';
import { findTerminalModel } from '../../terminal/models/loader.ts';
import { Terminal } from '../../terminal/terminal.ts';
import { memoryOutboxFs } from '../../terminal/uplink/outbox-memfs.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const H = 3_600_000;
/** 2026-01-06 00:00 in Turkey (UTC+3). */
const DAY0 = Date.UTC(2026, 0, 5, 21);
const MODEM = '210000123';
const SERIAL = '80099921';

const clock = new VirtualClock({ start: DAY0 - H });
const cloud = new FakeCloud({ clock, logger });
const reports = new Reports(cloud.store, clock, cloud.uplink);
// A working site, inductive by day; from 01:00 to 05:00 the capacitors stay in at night: capacitive.
const load = new SiteLoad({ baseKw: 15, peakKw: 140, powerFactor: 0.9, seed: 7 });
load.override({ from: DAY0 + H, to: DAY0 + 5 * H, powerFactor: 0.95, capacitive: true });
let meter: EmulatedMeter;
let terminal: Terminal;

beforeAll(async () => {
  const bus = new Rs485Bus(clock, 'rs485');
  const profile = findMeterProfile('Makel', 'C500')!;
  meter = new EmulatedMeter({ clock, endpoint: bus.attach('meter', { settings: IEC_OPENING }), profile, serial: SERIAL, port: 'rs485', load, initialKwh: 48_210.5 });
  const model = findTerminalModel('HT E21');
  const secret = '0123456789abcdef0123456789abcdef';
  const config = parseTerminalConfig({ modemNo: MODEM, secret, sendPeriodMin: 15, meters: { rs485: [{ serial: SERIAL, brand: 'Makel' }] } }, model);
  cloud.provisionModem({ modemNo: MODEM, secret, model: model.model });
  terminal = new Terminal({
    clock,
    model,
    config,
    ports: { rs485: bus.attach('terminal', { settings: IEC_OPENING }) },
    dialer: new MemoryDialer(clock, cloud.uplink, `uplink/${MODEM}`, { latencyMs: 200 }),
    storageDir: '/flash/outbox',
    storageFs: memoryOutboxFs(),
    logger,
  });
  await clock.run(terminal.start());
  await clock.runFor(25 * H + 2 * 60_000);
});
afterAll(async () => {
  await terminal.stop({ powerCut: true });
  meter.dispose();
  await cloud.stop();
});

/** When the meter rendered the readout the terminal stored at `at` (the last one before it). */
function renderedAt(at: number): number {
  const r = meter.readouts.filter((x) => x.at <= at).at(-1);
  if (!r) throw new Error(`no readout before ${new Date(at).toISOString()}`);
  return r.at;
}

describe('reports from a real terminal and an emulated meter', () => {
  it('each hour of the day equals the load integral between the readouts, within 1 Wh', () => {
    const r = reports.consumption(MODEM, { bucket: 'hour', from: String(DAY0), to: String(DAY0 + 24 * H) });
    expect(r.meterSerial).toBe(SERIAL);
    expect(r.buckets).toHaveLength(24);
    expect(r.incompleteBuckets).toBe(0);
    for (const b of r.buckets) {
      // The terminal polls on the hour and stamps the readout's end, a few seconds later.
      expect(b.startAt! - b.from).toBeGreaterThan(0);
      expect(b.startAt! - b.from).toBeLessThan(60_000);
      const exact = integrate(load, renderedAt(b.startAt!), renderedAt(b.endAt!)).importWh / 1000;
      expect(Math.abs(b.kwh! - exact)).toBeLessThanOrEqual(0.001 + 1e-9);
    }
    const day = integrate(load, renderedAt(r.buckets[0]!.startAt!), renderedAt(r.buckets[23]!.endAt!)).importWh / 1000;
    expect(Math.abs(r.totalKwh! - day)).toBeLessThanOrEqual(0.001 + 1e-9);
    // Against the exact day boundaries: off only by the seconds of the readouts.
    expect(Math.abs(r.totalKwh! - integrate(load, DAY0, DAY0 + 24 * H).importWh / 1000)).toBeLessThan(0.5);
    expect(r.buckets.reduce((s, b) => s + b.kwh!, 0)).toBeCloseTo(r.totalKwh!, 6);
    // Tariff registers: T3 is the night (22:00–06:00), T1 the day, T2 the evening peak.
    expect(r.buckets[3]!.tariffs['T3']).toBeCloseTo(r.buckets[3]!.kwh!, 2);
    expect(r.buckets[10]!.tariffs['T1']).toBeCloseTo(r.buckets[10]!.kwh!, 2);
    expect(r.buckets[19]!.tariffs['T2']).toBeCloseTo(r.buckets[19]!.kwh!, 2);
  });

  it('the reactive ratio from the meter readings equals the load integral', () => {
    const r = reactiveRatio(cloud.store, MODEM, SERIAL, DAY0, DAY0 + 24 * H);
    expect(r.incomplete).toEqual([]);
    expect(r.registers).toEqual({ active: ['1.8.0'], inductive: ['5.8.0'], capacitive: ['8.8.0'] });
    const from = renderedAt(DAY0 + 60_000);
    const to = renderedAt(DAY0 + 24 * H + 60_000);
    const e = integrate(load, from, to);
    expect(Math.abs(r.activeKwh! - e.importWh / 1000)).toBeLessThanOrEqual(0.001 + 1e-9);
    expect(Math.abs(r.inductiveKvarh! - e.inductiveVarh / 1000)).toBeLessThanOrEqual(0.001 + 1e-9);
    expect(Math.abs(r.capacitiveKvarh! - e.capacitiveVarh / 1000)).toBeLessThanOrEqual(0.001 + 1e-9);
    // pf 0.9 inductive by day: tan φ = 48 %, well over the 20 % limit; capacitive at night only.
    expect(r.inductivePct).toBeGreaterThan(40);
    expect(r.overInductive).toBe(true);
    expect(r.capacitiveKvarh).toBeGreaterThan(0);
    expect(r.capacitivePct).toBeCloseTo((e.capacitiveVarh / e.importWh) * 100, 1);
  });

  it('communication state and instantaneous values of the modem', () => {
    const c = reports.communication(MODEM, { from: String(DAY0), to: String(DAY0 + 24 * H) });
    expect(c).toMatchObject({ periodMin: 15, periodSource: 'records', online: true, late: false });
    expect(c.sources).toEqual([expect.objectContaining({ source: `meter ${SERIAL}`, expected: 96, received: 96, failed: 0, gaps: [] })]);
    const now = reports.instantaneous(MODEM);
    expect(now.sources).toHaveLength(1);
    expect(now.sources[0]!.phases.l1.voltage).toBeGreaterThan(200);
    expect(now.sources[0]!.phases.l1.current).toBeGreaterThan(0);
  });
});
