import { describe, expect, it } from 'vitest';
import {
  closestQuantityNames, ioPointOf, isQuantityName, LINE_PAIRS, MAX_IO_POINTS, MAX_RELAY_STEPS, needsThreePhases, PHASES,
  QUANTITY_NAMES, quantityInfo, RELAY_ALARMS, relayStepOf, UNIT_FACTORS, unitFactor, type QuantityName,
} from './quantities.ts';

describe('quantity vocabulary', () => {
  it('has the expected size: every family of names, nothing else', () => {
    const electrical = 3 + 3 + 4 + 3 * 4 + 4 + 4 + 1 + 6 + 6;
    const relay = 4 + 2 * MAX_RELAY_STEPS + 1 + RELAY_ALARMS.length + 1 + 2 + 1 + 2;
    const io = 2 * MAX_IO_POINTS + 2;
    const sensor = 3;
    const device = 6;
    expect(QUANTITY_NAMES.length).toBe(electrical + relay + io + sensor + device);
    expect(new Set(QUANTITY_NAMES).size).toBe(QUANTITY_NAMES.length);
  });

  it('names the quantities relays and analyzers report, with their canonical units', () => {
    const expected: [QuantityName, string][] = [
      ['voltage.l1', 'V'], ['voltage.l31', 'V'], ['current.n', 'A'], ['power.active.total', 'W'],
      ['power.reactive.l2', 'var'], ['power.apparent.l3', 'VA'], ['pf.total', 'none'], ['cosphi.l1', 'none'],
      ['frequency', 'Hz'], ['thd.voltage.l1', '%'], ['thd.current.l3', '%'], ['energy.import', 'kWh'],
      ['energy.export', 'kWh'], ['energy.reactive.inductive', 'kvarh'], ['energy.reactive.capacitive', 'kvarh'],
      ['relay.cosphi.target', 'none'], ['relay.cosphi.measured', 'none'], ['relay.ratio.inductive', '%'],
      ['relay.ratio.capacitive', '%'], ['relay.step.1.state', 'none'], ['relay.step.20.power', 'kvar'],
      ['relay.steps.mask', 'none'], ['relay.alarm.over-compensation', 'none'], ['relay.alarm.thd', 'none'],
      ['relay.ct.ratio', 'none'], ['device.serial', 'none'], ['device.baud', 'baud'], ['device.address', 'none'],
    ];
    for (const [name, unit] of expected) expect(quantityInfo(name).unit, name).toBe(unit);
  });

  it('is closed: near misses and out-of-range numbers are not names', () => {
    for (const bad of ['voltage.l4', 'relay.step.21.state', 'relay.step.0.power', 'Voltage.L1', 'energy.import.wh', '', 'frequency ']) {
      expect(isQuantityName(bad), bad).toBe(false);
    }
    expect(() => quantityInfo('voltage.l4' as QuantityName)).toThrow(TypeError);
  });

  it('gives every name a description, kind and domain that match its family', () => {
    for (const name of QUANTITY_NAMES) {
      const info = quantityInfo(name);
      expect(info.description.length, name).toBeGreaterThan(5);
      const family = name.split('.')[0];
      if (family === 'relay') expect(info.domain).toBe('relay');
      else if (family === 'io') expect(info.domain).toBe('io');
      else if (family === 'sensor') expect(info.domain).toBe('sensor');
      else if (family === 'device') expect(info.domain).toBe('device');
      else expect(info.domain).toBe('electrical');
      if (family === 'energy') expect(info.kind).toBe('counter');
    }
  });

  it('converts register units to the canonical unit and rejects units of another family', () => {
    expect(unitFactor('energy.import', 'Wh')).toBe(0.001);
    expect(unitFactor('energy.import', 'kWh')).toBe(1);
    expect(unitFactor('current.l1', 'mA')).toBe(0.001);
    expect(unitFactor('relay.step.3.power', 'var')).toBe(0.001);
    expect(unitFactor('power.reactive.total', 'kvar')).toBe(1000);
    expect(unitFactor('voltage.l1', 'A')).toBeUndefined();
    expect(unitFactor('energy.import', 'kvarh')).toBeUndefined();
    for (const family of Object.values(UNIT_FACTORS)) expect(Object.values(family)).toContain(1);
  });

  it('extracts step and I/O point numbers, and knows which names need three phases', () => {
    expect(relayStepOf('relay.step.12.state')).toBe(12);
    expect(relayStepOf('relay.steps.mask')).toBeUndefined();
    expect(ioPointOf('io.output.16.state')).toEqual({ dir: 'output', n: 16 });
    expect(ioPointOf('io.inputs.mask')).toBeUndefined();
    for (const p of PHASES) expect(needsThreePhases(`voltage.${p}`)).toBe(p !== 'l1');
    for (const l of LINE_PAIRS) expect(needsThreePhases(`voltage.${l}`)).toBe(true);
    expect(needsThreePhases('power.active.total')).toBe(false);
  });

  it('suggests the closest names for a typo', () => {
    expect(closestQuantityNames('voltage.l4')[0]).toMatch(/^voltage\.l[123]$/);
    expect(closestQuantityNames('relay.cosphi.targt', 1)).toEqual(['relay.cosphi.target']);
    expect(closestQuantityNames('frequncy', 1)).toEqual(['frequency']);
  });
});
