import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import {
  cosPhiAngleDeg, modbusProfileSchema, registerWords, resolveModbusAddress, type ModbusProfile,
} from './profile-schema.ts';

type Obj = Record<string, unknown>;

/** A small valid relay profile as it would come out of YAML. */
function relay(registers: Obj[], extra: Obj = {}): Obj {
  return {
    vendor: 'Test', model: 'R1', class: 'compensation-relay',
    source: { public: false, notes: 'made for tests' },
    serial: { baud: 9600, parity: 'none', stopBits: 1, address: { rule: 'menu', default: 1 } },
    latencyMs: { min: 5, max: 20 },
    functions: [1, 3, 5, 6, 16],
    relay: { steps: 4, stepKvar: [5, 10, 10, 20], switchDelayS: 10, dischargeTimeS: 30, targetCosPhi: { default: 0.99, min: -0.8, max: 0.8 }, band: 0.02 },
    registers,
    ...extra,
  };
}

function analyzer(registers: Obj[], analyzerBlock: Obj = { phases: 3, hasThd: true, energyResolution: 0.01 }, extra: Obj = {}): Obj {
  return {
    vendor: 'Test', model: 'A1', class: 'energy-analyzer',
    source: { public: true, documents: [{ title: 'Test map', url: 'https://example.org/map.pdf' }] },
    serial: { baud: 19200, parity: 'even', stopBits: 1, address: { rule: 'fixed', default: 7 } },
    latencyMs: { min: 1, max: 2 }, functions: [3, 4], analyzer: analyzerBlock, registers, ...extra,
  };
}

const reg = (table: string, address: number, quantity: string, type: string, more: Obj = {}): Obj => ({ table, address, quantity, type, ...more });

/** Issues as 'path: message' lines; empty when the profile is valid. */
function issues(input: unknown): string[] {
  const r = modbusProfileSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function parse(input: unknown): ModbusProfile {
  return modbusProfileSchema.parse(input);
}

describe('modbusProfileSchema: shape and defaults', () => {
  it('accepts a minimal relay and fills the defaults', () => {
    const p = parse(relay([reg('holding', 0, 'voltage.l1', 'u16', { scale: 0.1 })]));
    expect(p.class).toBe('compensation-relay');
    expect(p.aliases).toEqual([]);
    expect(p.unmapped).toBe('exception');
    expect(p.limits).toEqual({ maxReadRegisters: 125, maxWriteRegisters: 123 });
    expect(p.serial.dataBits).toBe(8);
    expect(p.serial.address).toEqual({ rule: 'menu', default: 1, min: 1, max: 247 });
    expect(p.registers[0]).toMatchObject({ wordOrder: 'ABCD', scale: 0.1, unit: 'V', writable: false, verified: false });
  });

  it('rejects unknown fields, unknown classes and unknown quantities with the field path', () => {
    expect(issues(relay([reg('holding', 0, 'voltage.l1', 'u16', { colour: 'red' })]))).toEqual(['registers.0: Unrecognized key: "colour"']);
    expect(issues({ ...relay([reg('holding', 0, 'voltage.l1', 'u16')]), class: 'meter' })[0]).toMatch(/^class: .*compensation-relay/);
    expect(issues(relay([reg('holding', 0, 'volts.l1', 'u16')]))[0]).toMatch(/^registers\.0\.quantity: unknown quantity 'volts\.l1'.*closest: voltage\.l1/);
    expect(issues(relay([reg('holding', 0, 'voltage.l1', 'u16')], { relay: undefined }))[0]).toMatch(/^relay: /);
  });

  it('checks the serial block and the address rules', () => {
    expect(issues(relay([reg('holding', 0, 'voltage.l1', 'u16')], { serial: { baud: 9601, parity: 'none', stopBits: 1, address: { rule: 'menu', default: 1 } } }))[0]).toMatch(/^serial\.baud: expected one of .*9600/);
    expect(issues(relay([reg('holding', 0, 'voltage.l1', 'u16')], { serial: { baud: 9600, parity: 'mark', stopBits: 1, address: { rule: 'fixed', default: 1 } } }))[0]).toMatch(/^serial\.parity/);
    expect(issues(relay([reg('holding', 0, 'voltage.l1', 'u16')], { serial: { baud: 9600, parity: 'none', stopBits: 1, address: { rule: 'menu', default: 30, min: 40, max: 50 } } }))).toEqual(['serial.address.default: expected min <= default <= max']);
    expect(issues(relay([reg('holding', 0, 'voltage.l1', 'u16')], { serial: { baud: 9600, parity: 'none', stopBits: 1, address: { rule: 'fixed', default: 248 } } }))[0]).toMatch(/^serial\.address\.default: Too big/);
    expect(issues(relay([reg('holding', 0, 'voltage.l1', 'u16')], { serial: { baud: 9600, parity: 'none', stopBits: 1, address: { rule: 'serial-last-two-plus-100' } } }))).toEqual([]);
  });

  it('requires notes for a map that is not public and a document for one that is', () => {
    expect(issues(relay([reg('holding', 0, 'voltage.l1', 'u16')], { source: { public: false } }))[0]).toMatch(/^source\.notes: a map that is not public/);
    expect(issues(relay([reg('holding', 0, 'voltage.l1', 'u16')], { source: { public: true } }))[0]).toMatch(/^source\.documents: a public map needs/);
  });
});

describe('modbusProfileSchema: register rules', () => {
  const one = (r: Obj): string[] => issues(relay([r]));

  it('ties bool to coil/discrete tables and words to holding/input', () => {
    expect(one(reg('coil', 0, 'relay.step.1.state', 'u16'))[0]).toMatch(/^registers\.0\.type: expected bool in a coil table/);
    expect(one(reg('holding', 0, 'relay.step.1.state', 'bool'))[0]).toMatch(/^registers\.0\.type: expected a word type/);
    expect(one(reg('discrete', 0, 'voltage.l1', 'bool'))[0]).toMatch(/^registers\.0\.quantity: expected an on\/off quantity/);
    expect(one(reg('coil', 0, 'relay.step.1.state', 'bool', { writable: true }))).toEqual([]);
  });

  it('keeps read-only tables read-only', () => {
    expect(one(reg('input', 0, 'relay.ct.ratio', 'u16', { writable: true }))).toContain('registers.0.writable: the input table is read-only; expected writable: false');
    expect(one(reg('discrete', 0, 'relay.alarm.thd', 'bool', { writable: true }))[0]).toMatch(/^registers\.0\.writable/);
  });

  it('rejects word swaps on one-word types and units of another family', () => {
    expect(one(reg('holding', 0, 'voltage.l1', 'u16', { wordOrder: 'CDAB' }))[0]).toMatch(/^registers\.0\.wordOrder: CDAB swaps words/);
    expect(one(reg('holding', 0, 'voltage.l1', 'u16', { wordOrder: 'BADC' }))).toEqual([]);
    expect(one(reg('holding', 0, 'voltage.l1', 'u16', { unit: 'A' }))[0]).toMatch(/^registers\.0\.unit: 'A' does not fit 'voltage\.l1'; expected one of V, kV/);
    expect(one(reg('holding', 0, 'energy.import', 'u32', { unit: 'Wh' }))).toEqual([]);
  });

  it('checks that a range is representable in the raw type at the given scale', () => {
    expect(one(reg('holding', 0, 'voltage.l1', 'u16', { scale: 0.1, range: { min: 0, max: 6553.5 } }))).toEqual([]);
    expect(one(reg('holding', 0, 'voltage.l1', 'u16', { scale: 0.1, range: { min: 0, max: 7000 } }))[0]).toMatch(/^registers\.0\.range: 0…7000 at scale 0\.1 needs raw 0…70000, outside u16/);
    expect(one(reg('holding', 0, 'relay.cosphi.target', 'i16', { scale: -0.001, range: { min: -1, max: 1 } }))).toEqual([]);
    expect(one(reg('holding', 0, 'voltage.l1', 'u16', { range: { min: 5, max: 1 } }))[0]).toMatch(/^registers\.0\.range: expected min <= max/);
    expect(one(reg('holding', 0, 'voltage.l1', 'u16', { scale: 0 }))[0]).toMatch(/^registers\.0\.scale: expected a non-zero scale/);
  });

  it('checks raw codes against the type', () => {
    expect(one(reg('holding', 0, 'device.baud', 'u16', { codes: { 0: 2400, 2: 9600 } }))).toEqual([]);
    expect(one(reg('holding', 0, 'device.baud', 'u16', { codes: { '-1': 2400 } }))[0]).toMatch(/^registers\.0\.codes: raw code -1 does not fit type u16/);
    expect(one(reg('holding', 0, 'device.baud', 'u16', { codes: { fast: 2400 } }))[0]).toMatch(/^registers\.0\.codes\.fast/);
  });

  it('allows bit registers only for on/off quantities in u16 words', () => {
    expect(one(reg('holding', 5, 'relay.alarm.thd', 'u16', { bit: 3 }))).toEqual([]);
    expect(one(reg('holding', 5, 'relay.alarm.thd', 'u32', { bit: 3 }))[0]).toMatch(/^registers\.0\.bit: expected type u16/);
    expect(one(reg('holding', 5, 'voltage.l1', 'u16', { bit: 3 }))[0]).toMatch(/^registers\.0\.bit: expected an on\/off quantity/);
    expect(one(reg('holding', 5, 'relay.alarm.thd', 'u16', { bit: 16 }))[0]).toMatch(/^registers\.0\.bit: Too big/);
  });
});

describe('modbusProfileSchema: cross-field rules', () => {
  it('detects overlapping registers within a table, and only within one table', () => {
    const clash = issues(relay([reg('holding', 10, 'voltage.l1', 'f32'), reg('holding', 11, 'voltage.l2', 'u16')]));
    expect(clash).toEqual(['registers.1.address: registers[1] (voltage.l2 at 11) overlaps registers[0] (voltage.l1 at 10…11) in the holding table']);
    expect(issues(relay([reg('holding', 10, 'voltage.l1', 'u64'), reg('holding', 13, 'voltage.l2', 'u16')]))[0]).toMatch(/overlaps registers\[0\] \(voltage\.l1 at 10…13\)/);
    expect(issues(relay([reg('holding', 10, 'voltage.l1', 'f32'), reg('input', 11, 'voltage.l2', 'u16')], { functions: [3, 4, 6] }))).toEqual([]);
    expect(issues(relay([reg('holding', 10, 'voltage.l1', 'f32'), reg('holding', 12, 'voltage.l2', 'f32')]))).toEqual([]);
  });

  it('lets distinct bits share a word but not a bit, nor a whole-word register', () => {
    expect(issues(relay([reg('holding', 4, 'relay.alarm.thd', 'u16', { bit: 0 }), reg('holding', 4, 'relay.alarm.over-voltage', 'u16', { bit: 1 })]))).toEqual([]);
    expect(issues(relay([reg('holding', 4, 'relay.alarm.thd', 'u16', { bit: 2 }), reg('holding', 4, 'relay.alarm.over-voltage', 'u16', { bit: 2 })]))[0])
      .toMatch(/registers\[1\] \(relay\.alarm\.over-voltage at 4 bit 2\) overlaps registers\[0\] \(relay\.alarm\.thd at 4 bit 2\)/);
    expect(issues(relay([reg('holding', 4, 'relay.alarms.mask', 'u16'), reg('holding', 4, 'relay.alarm.thd', 'u16', { bit: 0 })]))[0]).toMatch(/overlaps registers\[0\] \(relay\.alarms\.mask at 4\)/);
    expect(issues(relay([reg('coil', 0, 'relay.step.1.state', 'bool'), reg('coil', 0, 'relay.step.2.state', 'bool')]))[0]).toMatch(/overlaps .* in the coil table/);
  });

  it('maps each quantity at most once per table', () => {
    expect(issues(relay([reg('holding', 0, 'voltage.l1', 'u16'), reg('holding', 9, 'voltage.l1', 'u16')]))[0])
      .toMatch(/^registers\.1\.quantity: 'voltage\.l1' is already mapped in the holding table by registers\[0\]/);
    expect(issues(relay([reg('holding', 0, 'voltage.l1', 'u16'), reg('input', 0, 'voltage.l1', 'u16')], { functions: [3, 4] }))).toEqual([]);
  });

  it('rejects a register running past address 65535', () => {
    expect(issues(relay([reg('holding', 0xffff, 'voltage.l1', 'f32')]))[0]).toMatch(/^registers\.0\.address: f32 at 65535 ends at 65536/);
  });

  it('enforces a block boundary only when the profile declares one', () => {
    const regs = [reg('holding', 124, 'voltage.l1', 'f32')];
    expect(issues(relay(regs))).toEqual([]);
    expect(issues(relay(regs, { limits: { blockBoundary: 125 } }))[0]).toMatch(/crosses the vendor's 125-register block boundary at 125/);
    expect(issues(relay([reg('holding', 125, 'voltage.l1', 'f32')], { limits: { blockBoundary: 125 } }))).toEqual([]);
  });

  it('limits relay step quantities to the declared step count', () => {
    expect(issues(relay([reg('holding', 0, 'relay.step.4.power', 'u16')]))).toEqual([]);
    expect(issues(relay([reg('holding', 0, 'relay.step.5.power', 'u16')]))).toEqual(["registers.0.quantity: 'relay.step.5.power' names step 5, but relay.steps is 4"]);
    expect(issues(relay([reg('coil', 7, 'relay.step.9.state', 'bool')]))[0]).toMatch(/names step 9/);
  });

  it('checks the relay block: one kvar per step, targets in phase-angle order', () => {
    const base = relay([reg('holding', 0, 'voltage.l1', 'u16')]);
    const withRelay = (r: Obj): Obj => ({ ...base, relay: { ...(base['relay'] as Obj), ...r } });
    expect(issues(withRelay({ stepKvar: [5, 10] }))).toEqual(['relay.stepKvar: expected 4 entries (one per step); got 2']);
    expect(issues(withRelay({ targetCosPhi: { default: 0.7, min: -0.8, max: 0.8 } }))[0]).toMatch(/^relay\.targetCosPhi: expected min \(most capacitive\) <= default <= max/);
    expect(issues(withRelay({ targetCosPhi: { default: -0.95, min: -0.8, max: 0.8 } }))).toEqual([]);
    expect(issues(withRelay({ steps: 21 }))[0]).toMatch(/^relay\.steps: Too big/);
  });

  it('keeps quantities to their device class', () => {
    expect(issues(analyzer([reg('input', 0, 'relay.cosphi.target', 'u16')]))).toEqual(["registers.0.quantity: 'relay.cosphi.target' belongs to relay devices; an energy-analyzer profile cannot map it"]);
    expect(issues(relay([reg('holding', 0, 'sensor.temperature', 'u16')]))[0]).toMatch(/belongs to sensor devices/);
    expect(issues(analyzer([reg('input', 0, 'device.serial', 'u32')]))).toEqual([]);
  });

  it('checks analyzer phases and THD against the map', () => {
    expect(issues(analyzer([reg('input', 0, 'voltage.l2', 'f32')], { phases: 1, hasThd: false, energyResolution: 0.1 }))[0]).toMatch(/needs three phases, but analyzer\.phases is 1/);
    expect(issues(analyzer([reg('input', 0, 'thd.voltage.l1', 'f32')], { phases: 3, hasThd: false, energyResolution: 0.1 }))[0]).toMatch(/is a THD value, but analyzer\.hasThd is false/);
  });

  it('requires the function codes the map needs', () => {
    expect(issues(analyzer([reg('holding', 0, 'voltage.l1', 'u16')], undefined, { functions: [4] }))).toEqual(['functions: the map has holding registers, so expected function 3 in functions']);
    expect(issues(analyzer([reg('holding', 0, 'device.address', 'u16', { writable: true })], undefined, { functions: [3] }))).toEqual(['functions: writable holding registers need function 6 or 16']);
    expect(issues(relay([reg('coil', 0, 'relay.step.1.state', 'bool', { writable: true })], { functions: [1] }))).toEqual(['functions: writable coils need function 5 or 15']);
    expect(issues(analyzer([reg('input', 0, 'voltage.l1', 'f32')], undefined, { functions: [4, 43] }))).toEqual(['identification: function 43 needs identification.vendorName, productCode and revision']);
    expect(issues(analyzer([reg('input', 0, 'voltage.l1', 'f32')], undefined, { functions: [4, 43], identification: { vendorName: 'T', productCode: 'A1', revision: '1.0' } }))).toEqual([]);
    expect(issues(analyzer([reg('input', 0, 'voltage.l1', 'f32')], undefined, { functions: [4, 7] }))[0]).toMatch(/^functions\.1/);
  });

  it('checks I/O point numbers against the declared counts', () => {
    const io = { vendor: 'T', model: 'IO', class: 'io-module', source: { public: false, notes: 'test' }, serial: { baud: 9600, parity: 'none', stopBits: 1, address: { rule: 'fixed', default: 2 } }, latencyMs: { min: 1, max: 1 }, functions: [2], io: { inputs: 2, outputs: 0 } };
    expect(issues({ ...io, registers: [reg('discrete', 1, 'io.input.2.state', 'bool')] })).toEqual([]);
    expect(issues({ ...io, registers: [reg('discrete', 2, 'io.input.3.state', 'bool')] })).toEqual(["registers.0.quantity: 'io.input.3.state' names input 3, but io.inputs is 2"]);
  });
});

describe('helpers', () => {
  it('counts words per type', () => {
    expect([registerWords('bool'), registerWords('u16'), registerWords('i16'), registerWords('u32'), registerWords('i32'), registerWords('f32'), registerWords('u64')]).toEqual([1, 1, 1, 2, 2, 2, 4]);
  });

  it('orders cos φ targets by phase angle', () => {
    expect(cosPhiAngleDeg(1)).toBe(0);
    expect(cosPhiAngleDeg(0.8)).toBeCloseTo(36.87, 2);
    expect(cosPhiAngleDeg(-0.8)).toBeCloseTo(-36.87, 2);
    expect(cosPhiAngleDeg(-0.8)).toBeLessThan(cosPhiAngleDeg(0.99));
  });

  it('derives the address of a screenless Grup Arge device from its serial number', () => {
    const rule = { rule: 'serial-last-two-plus-100' } as const;
    expect(resolveModbusAddress(rule, 'GA3125-000347')).toBe(147);
    expect(resolveModbusAddress(rule, '100')).toBe(100);
    expect(resolveModbusAddress(rule, '2199')).toBe(199);
    expect(() => resolveModbusAddress(rule, 'AB-7')).toThrow(InputError);
    expect(() => resolveModbusAddress(rule)).toThrow(/needs a serial number with at least two digits/);
    expect(resolveModbusAddress({ rule: 'menu', default: 12, min: 1, max: 247 }, '000347')).toBe(12);
    expect(resolveModbusAddress({ rule: 'fixed', default: 3 })).toBe(3);
  });
});

describe('robustness', () => {
  it('never throws on registers with any mix of valid and broken fields', () => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const choices: Record<string, readonly unknown[]> = {
      table: ['holding', 'input', 'coil', 'discrete', 'ram', 3, undefined],
      address: [0, 65535, 65534, -1, 1.5, '7', undefined],
      quantity: ['voltage.l1', 'relay.step.3.state', 'relay.alarm.thd', 'device.baud', 'nope', 5, undefined],
      type: ['bool', 'u16', 'i16', 'u32', 'f32', 'u64', 'f33', null],
      wordOrder: ['ABCD', 'CDAB', 'BADC', 'DCBA', 'XYZW', undefined],
      scale: [1, 0.1, -0.001, 0, Number.NaN, 'x', undefined],
      unit: ['V', 'kWh', 'baud', 'parsec', '', undefined],
      bit: [0, 15, 16, -1, undefined],
      writable: [true, false, 'yes', undefined],
      range: [{ min: 0, max: 10 }, { min: 10, max: 0 }, { min: 'a' }, undefined],
      codes: [{ 0: 9600 }, { x: 1 }, { '-5': 1 }, undefined],
    };
    for (let i = 0; i < 2000; i++) {
      const r: Obj = {};
      for (const [k, options] of Object.entries(choices)) {
        const v = pick(options);
        if (v !== undefined) r[k] = v;
      }
      expect(() => modbusProfileSchema.safeParse(relay([r]))).not.toThrow();
    }
  });
});
