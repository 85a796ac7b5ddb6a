import { describe, expect, it } from 'vitest';
import { closestQuantityNames, isQuantityName, QUANTITIES, QUANTITY_NAMES, quantityDef } from './quantities.ts';
import type { QuantityName } from './quantities.ts';

describe('quantity vocabulary', () => {
  it('has unique, well-formed names', () => {
    expect(new Set(QUANTITY_NAMES).size).toBe(QUANTITY_NAMES.length);
    for (const n of QUANTITY_NAMES) expect(n).toMatch(/^[a-z][a-zA-Z0-9]*(\.[a-z0-9][a-zA-Z0-9]*)+$|^frequency$/);
  });

  it('covers the registers and values the brand readouts need', () => {
    for (const n of [
      'energy.import.total', 'energy.import.t1', 'energy.import.t4', 'energy.export.t2',
      'energy.reactive.inductive.t3', 'energy.reactive.capacitive.total', 'energy.reactive.q2.total', 'energy.reactive.q3.t1',
      'demand.max.import', 'demand.max.import.at', 'demand.max.import.t1.at', 'voltage.l3', 'current.l1', 'pf.l2', 'pf.total',
      'frequency', 'meter.serial', 'meter.date', 'meter.time', 'meter.status', 'outage.count', 'outage.last.start', 'outage.last.end',
      'billing.reset.count', 'firmware.version', 'power.active.total', 'power.reactive.total',
    ]) expect(isQuantityName(n), n).toBe(true);
  });

  it('gives every quantity a unit consistent with its value and kind', () => {
    for (const d of QUANTITIES) {
      if (d.value !== 'number') expect(d.unit, d.name).toBeNull();
      if (d.kind === 'energy') expect(['kWh', 'kvarh'], d.name).toContain(d.unit);
      if (d.kind === 'voltage') expect(d.unit).toBe('V');
      if (d.kind === 'current') expect(d.unit).toBe('A');
      expect(d.description.length, d.name).toBeGreaterThan(10);
    }
    expect(quantityDef('energy.reactive.inductive.total')).toMatchObject({ unit: 'kvarh', kind: 'energy', value: 'number' });
    expect(quantityDef('outage.interval')?.value).toBe('interval');
    expect(quantityDef('nope')).toBeUndefined();
  });

  it('is closed: unknown names are refused, with near matches offered', () => {
    expect(isQuantityName('energy.import.t5')).toBe(false);
    expect(isQuantityName(42)).toBe(false);
    expect(closestQuantityNames('energy.imprt.t1')[0]).toBe('energy.import.t1');
    expect(closestQuantityNames('voltage.L1')).toContain('voltage.l1');
    expect(closestQuantityNames('completely-different-thing-here')).toEqual([]);
    // @ts-expect-error not in the vocabulary
    const bad: QuantityName = 'energy.import.t5';
    expect(bad).toBeDefined();
  });
});
