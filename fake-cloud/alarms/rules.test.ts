import { afterEach, describe, expect, it } from 'vitest';
import type { ModbusReadingValue } from '../../protocols/uplink/records.ts';
import { billingMonth, reactiveRatio } from '../reports/reactive-ratio.ts';
import type { RunningMonth } from './rules/reactive.ts';
import { AlarmBench, MODEM, T0 } from './test-support.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const benches: AlarmBench[] = [];
function bench(): AlarmBench {
  const b = new AlarmBench();
  benches.push(b);
  return b;
}
afterEach(async () => {
  for (const b of benches.splice(0)) await b.close();
});

const relay = (values: ModbusReadingValue[]) => ({ address: 147, type: 'compensation-relay' as const, values });

describe('meter and Modbus device not answering', () => {
  it('a meter: raised after afterFailures failed readings in a row, cleared by a reading with values', () => {
    const b = bench();
    b.alarms.setRules(MODEM, { 'meter-not-answering': { afterFailures: 2 } });
    const fail = { reason: 'no-answer', text: 'no answer to /?30012345!' };
    expect(b.meter(T0, '30012345', fail)).toEqual([]);
    expect(b.meter(T0 + 15 * MIN, '30012345', [{ address: '1.8.0', value: '000001.000', unit: 'kWh' }])).toEqual([]); // the count starts again
    b.meter(T0 + 30 * MIN, '30012345', fail);
    const [t] = b.meter(T0 + 45 * MIN, '30012345', fail);
    expect(t!.alarm).toMatchObject({ rule: 'meter-not-answering', subject: 'meter:30012345', about: 'meter 30012345 (rs485)', raisedAt: T0 + 45 * MIN, raisedText: 'no reading: no-answer (no answer to /?30012345!), 2 times in a row', details: { reason: 'no-answer', failures: 2 } });
    expect(b.meter(T0 + 60 * MIN, '30012345', fail)).toEqual([]);
    expect(b.lines(b.meter(T0 + 75 * MIN, '30012345', [{ address: '1.8.0', value: '000001.000', unit: 'kWh' }]))).toEqual(['meter-not-answering meter:30012345 cleared']);
  });

  it('a Modbus device: an exception or a partial reading is an answer; nothing read is not', () => {
    const b = bench();
    expect(b.modbus(T0, { address: 5, type: 'analyzer', missing: { reason: 'exception', code: 2, text: 'illegal data address' } })).toEqual([]);
    const [t] = b.modbus(T0 + 15 * MIN, { address: 5, type: 'analyzer', missing: { reason: 'no-answer', text: 'no answer in 1000 ms, 3 tries' } });
    expect(t!.alarm).toMatchObject({ subject: 'modbus:rs485:5', about: 'analyzer at Modbus address 5 (rs485)', raisedText: 'no answer: no-answer (no answer in 1000 ms, 3 tries)' });
    expect(b.lines(b.modbus(T0 + 30 * MIN, { address: 5, type: 'analyzer', values: [{ name: 'voltage.l1', value: 230 }], missing: { reason: 'crc-error', text: '1 of 3 requests' } }))).toEqual(['modbus-not-answering modbus:rs485:5 cleared']);
  });

  it('a declared device the terminal stops reporting is raised as absent after absentPeriods periods', () => {
    const b = bench();
    const db = b.store.db;
    db.prepare('UPDATE modems SET config_version = 1, config_acked_version = 1, modbus_updated_at = ? WHERE modem_no = ?').run(T0, MODEM);
    db.prepare("INSERT INTO modbus_devices (modem_no, position, address, type, port) VALUES (?, 0, 147, 'compensation-relay', 'rs485'), (?, 1, 7, 'analyzer', 'rs485')").run(MODEM, MODEM);
    const ok = (at: number, address: number) => b.modbus(at, { address, type: address === 7 ? 'analyzer' : 'compensation-relay', values: [{ name: 'frequency', value: 50 }] });
    ok(T0 + 15 * MIN, 147);
    ok(T0 + 15 * MIN, 7);
    for (const k of [2, 3]) expect(ok(T0 + k * 15 * MIN, 147)).toEqual([]);
    const [t] = ok(T0 + 4 * 15 * MIN, 147); // three periods read without device 7
    expect(t!.alarm).toMatchObject({ subject: 'modbus:rs485:7', raisedText: 'no reading of the declared device for 45 min', details: { reason: 'absent', value: 45, unit: 'min' } });
    expect(ok(T0 + 5 * 15 * MIN, 147)).toEqual([]); // raised once
    expect(ok(T0 + 6 * 15 * MIN, 147)).toEqual([]); // raised once
    expect(b.lines(ok(T0 + 6 * 15 * MIN, 7))).toEqual(['modbus-not-answering modbus:rs485:7 cleared']);
  });
});

describe('input change', () => {
  it('a listed input raises when it closes and clears when it opens; alarmWhen turns it round', () => {
    const b = bench();
    expect(b.lines(b.record('io', T0, { point: 'input', n: 1, on: true }))).toEqual(['input-change input:1 raised']);
    expect(b.record('io', T0 + 1, { point: 'output', n: 1, on: true, cause: 'command' })).toEqual([]);
    expect(b.lines(b.record('io', T0 + 2, { point: 'input', n: 1, on: false }))).toEqual(['input-change input:1 cleared']);
    b.alarms.setRules(MODEM, { 'input-change': { inputs: [2], alarmWhen: 'open' } });
    expect(b.record('io', T0 + 3, { point: 'input', n: 1, on: true })).toEqual([]);
    const [t] = b.record('io', T0 + 4, { point: 'input', n: 2, on: false });
    expect(t!.alarm).toMatchObject({ subject: 'input:2', about: 'input IN2', raisedText: 'IN2 open' });
  });
});

describe('over- and under-voltage', () => {
  it('per source and phase, with hysteresis; relays and meters alike', () => {
    const b = bench();
    const v = (at: number, l1: number, l2 = 230) => b.modbus(at, relay([{ name: 'voltage.l1', value: l1, unit: 'V' }, { name: 'voltage.l2', value: l2, unit: 'V' }, { name: 'voltage.l12', value: 440, unit: 'V' }]));
    const [t] = v(T0, 255.3);
    expect(t!.alarm).toMatchObject({ subject: 'modbus:rs485:147/l1/over', about: 'compensation-relay at Modbus address 147 (rs485), L1 over-voltage', raisedText: 'L1 voltage 255.3 V over the limit of 253 V (230 V + 10 %)', details: { value: 255.3, limit: 253, unit: 'V' } });
    expect(v(T0 + MIN, 252)).toEqual([]); // under the limit, not yet 1 % under it
    expect(v(T0 + 2 * MIN, 254)).toEqual([]); // still the same alarm
    expect(b.alarms.list(MODEM, { state: 'open' })).toHaveLength(1);
    const [c] = v(T0 + 3 * MIN, 250.5);
    expect(c!.alarm).toMatchObject({ state: 'cleared', clearedText: 'L1 voltage 250.5 V, back under 250.7 V' });
    expect(b.lines(v(T0 + 4 * MIN, 230, 200))).toEqual(['voltage modbus:rs485:147/l2/under raised']);
    expect(b.lines(b.meter(T0 + 5 * MIN, '30012345', [{ address: '32.7.0', value: '205.4', unit: 'V' }, { address: '52.7.0', value: '231.0', unit: 'V' }, { address: '32.7.0*1', value: '100', unit: 'V' }]))).toEqual(['voltage meter:30012345/l1/under raised']);
    b.alarms.setRules(MODEM, { voltage: { nominalV: 220 } });
    expect(b.lines(b.meter(T0 + 6 * MIN, '30012345', [{ address: '32.7.0', value: '205.4', unit: 'V' }]))).toEqual(['voltage meter:30012345/l1/under cleared']); // 198 V is the limit now
  });
});

describe('capacitor step fault', () => {
  it('the relay’s own alarm, as a flag or as bit 2 of the alarm word', () => {
    const b = bench();
    expect(b.lines(b.modbus(T0, relay([{ name: 'relay.alarm.step-fault', value: 1 }])))).toEqual(['capacitor-step modbus:rs485:147/step-alarm raised']);
    expect(b.lines(b.modbus(T0 + MIN, relay([{ name: 'relay.alarm.step-fault', value: 0 }])))).toEqual(['capacitor-step modbus:rs485:147/step-alarm cleared']);
    expect(b.lines(b.modbus(T0 + 2 * MIN, { ...relay([{ name: 'relay.alarms.mask', value: 0b0000110 }]), address: 5 }))).toEqual(['capacitor-step modbus:rs485:5/step-alarm raised']);
    expect(b.modbus(T0 + 3 * MIN, { ...relay([{ name: 'relay.alarms.mask', value: 0b0000010 }]), address: 5 })[0]!.transition).toBe('cleared');
  });

  it('a step switched under steady load with no change of Q is raised; a switching that works clears it', () => {
    const b = bench();
    const r = (at: number, mask: number, p: number, q: number) =>
      b.modbus(at, relay([{ name: 'relay.steps.mask', value: mask }, { name: 'power.active.total', value: p, unit: 'W' }, { name: 'power.reactive.total', value: q, unit: 'var' }, { name: 'relay.step.1.power', value: 5, unit: 'kvar' }, { name: 'relay.step.2.power', value: 10, unit: 'kvar' }]));
    expect(r(T0, 0b01, 50_000, 20_000)).toEqual([]);
    const [t] = r(T0 + 15 * MIN, 0b11, 50_500, 19_800);
    expect(t!.alarm).toMatchObject({ subject: 'modbus:rs485:147/no-effect', raisedText: 'step 2 in: Q changed by -0.2 kvar, expected -10 kvar', details: { value: -0.2, limit: -10, unit: 'kvar', steps: [2] } });
    expect(r(T0 + 30 * MIN, 0b01, 90_000, 40_000)).toEqual([]); // the load changed: not judged
    expect(r(T0 + 45 * MIN, 0b11, 90_000, 40_100)).toEqual([]); // again no effect: still the same alarm
    expect(b.lines(r(T0 + 60 * MIN, 0b01, 89_000, 49_900))).toEqual(['capacitor-step modbus:rs485:147/no-effect cleared']);
  });
});

describe('reactive ratio and its month-end forecast', () => {
  /** Daily readings of 1.8.0 / 5.8.0 / 8.8.0 at 00:00 UTC. */
  function meterDay(b: AlarmBench, at: number, active: number, inductive: number) {
    const reg = (v: number) => v.toFixed(3).padStart(10, '0');
    return b.meter(at, '30012345', [
      { address: '1.8.0', value: reg(active), unit: 'kWh' },
      { address: '5.8.0', value: reg(inductive), unit: 'kvarh' },
      { address: '8.8.0', value: reg(0), unit: 'kvarh' },
    ]);
  }

  it('the forecast warns first, the ratio follows; both clear in the next billing month', () => {
    const b = bench();
    const made: string[] = [];
    let act = 0;
    let ind = 0;
    for (let d = 2; d <= 18; d++) {
      if (d > 2) {
        act += 1000;
        ind += d <= 12 ? 100 : 400; // 10 % of the active energy, then 40 % from the 13th
      }
      made.push(...b.lines(meterDay(b, Date.UTC(2026, 0, d), act, ind)).map((l) => `${d} ${l}`));
    }
    expect(made).toEqual(['15 reactive-forecast meter:30012345/inductive raised', '18 reactive-ratio meter:30012345/inductive raised']);
    const [ratio] = b.alarms.list(MODEM, { rule: 'reactive-ratio' });
    expect(ratio).toMatchObject({ about: 'meter 30012345, inductive', raisedText: 'inductive ratio 21.25 % (3400 kvarh / 16000 kWh since 2026-01-01), over the limit of 20 %', details: { value: 21.25, limit: 20, unit: '%' } });
    // 1 February 03:00 local: a new billing month, counted from the last January reading
    const feb = meterDay(b, Date.UTC(2026, 1, 1), act + 14_000, ind + 1000);
    expect(b.lines(feb).sort()).toEqual(['reactive-forecast meter:30012345/inductive cleared', 'reactive-ratio meter:30012345/inductive cleared']);
    expect(b.alarms.list(MODEM, { rule: 'reactive-ratio' })[0]!.clearedText).toBe('inductive ratio 7.14 % (1000 kvarh / 14000 kWh since 2026-02-01), within the limit of 20 %');
  });

  it('the running month figures equal the reports’ (rollover, new month, register reset)', () => {
    const b = bench();
    const reg = (v: number) => (v % 1_000_000).toFixed(3).padStart(10, '0');
    let act = 999_700;
    let ind = 500;
    const start = Date.UTC(2026, 0, 31, 18, 0);
    const problems: string[] = [];
    for (let k = 0; k < 28; k++) {
      const at = start + k * 15 * MIN;
      act += 40.125;
      ind += 9.5;
      if (k === 20) act = 10; // register reset: the step is lost, as in the reports
      b.meter(at, '30012345', [{ address: '1.8.0', value: reg(act), unit: 'kWh' }, { address: '5.8.0', value: reg(ind), unit: 'kvarh' }, { address: '8.8.0', value: reg(k * 0.25), unit: 'kvarh' }]);
      const sum = b.alarms.book.memory<RunningMonth>(MODEM, 'reactive-ratio', 'meter:30012345')!.data.sum!;
      const m = billingMonth(at);
      const want = reactiveRatio(b.store, MODEM, '30012345', m.from, at);
      if (sum.a !== want.activeKwh || sum.i !== want.inductiveKvarh || sum.c !== want.capacitiveKvarh) problems.push(`${new Date(at).toISOString()}: ${JSON.stringify(sum)} vs ${want.activeKwh} ${want.inductiveKvarh} ${want.capacitiveKvarh}`);
    }
    expect(problems).toEqual([]);
  });

  it('limits are per modem; no judgement below minActiveKwh; a meter without reactive registers is not judged', () => {
    const b = bench();
    b.alarms.setRules(MODEM, { 'reactive-ratio': { inductivePct: 33, minActiveKwh: 500 }, 'reactive-forecast': { enabled: false } });
    expect(meterDay(b, T0, 0, 0)).toEqual([]);
    expect(meterDay(b, T0 + DAY, 400, 200)).toEqual([]); // 50 %, but only 400 kWh
    expect(b.lines(meterDay(b, T0 + 2 * DAY, 800, 300))).toEqual(['reactive-ratio meter:30012345/inductive raised']); // 37.5 % > 33 %
    expect(b.meter(T0 + 3 * DAY, '999', [{ address: '1.8.0', value: '000100.000', unit: 'kWh' }])).toEqual([]);
  });
});
