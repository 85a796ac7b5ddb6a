import { describe, expect, it } from 'vitest';
import { MODBUS_DEVICE_TYPES } from '../../protocols/uplink/modbus-config.ts';
import { loadRegisterSets, parseRegisterSet, RegisterSetCatalog, shippedCatalog } from './catalog.ts';
import { registerSetName } from './register-set.ts';

const head = `type: sensor
vendor: Acme
model: T-1
source: { public: true, documents: [{ title: Acme T-1 map }] }
`;

function problem(yaml: string): string {
  try {
    parseRegisterSet(head + yaml, 'acme.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a problem');
}

describe('register sets', () => {
  it('ships one default set for every device type, each citing its documents', () => {
    const catalog = shippedCatalog();
    for (const type of MODBUS_DEVICE_TYPES) {
      const f = catalog.find(type);
      expect(f.ok, type).toBe(true);
    }
    expect(catalog.sets.map((s) => `${s.type}: ${registerSetName(s)}`).sort()).toEqual([
      'analyzer: Eastron SDM630',
      'analyzer: Entes MPR-45S',
      'compensation-relay: Grup Arge Screenless compensation relay',
      'compensation-relay: Klemsan RAPIDUS',
      'compensation-relay: Klemsan REMO-Q',
      'energy-meter: Eastron SDM630',
      'io-module: Grup Arge Screenless I/O module',
      'sensor: Grup Arge Screenless temperature/light sensor',
    ]);
    expect(loadRegisterSets().every((s) => s.source.documents.length > 0)).toBe(true);
  });

  it('finds a model by name, model or alias, ignoring case and punctuation', () => {
    const catalog = shippedCatalog();
    const name = (type: Parameters<typeof catalog.find>[0], model?: string) => {
      const f = catalog.find(type, model);
      return f.ok ? registerSetName(f.set) : f.message;
    };
    expect(name('compensation-relay')).toBe('Grup Arge Screenless compensation relay');
    expect(name('compensation-relay', 'klemsan remoq')).toBe('Klemsan REMO-Q');
    expect(name('compensation-relay', 'RAPIDUS')).toBe('Klemsan RAPIDUS');
    expect(name('analyzer', 'MPR45S')).toBe('Entes MPR-45S');
    expect(name('energy-meter', 'Eastron SDM-630')).toBe('Eastron SDM630');
    expect(name('analyzer', 'Klemsan RAPIDUS')).toBe("unknown model 'Klemsan RAPIDUS' for analyzer; known: Eastron SDM630, Entes MPR-45S");
  });

  it('refuses two defaults for a type', () => {
    const a = parseRegisterSet(`${head}default: true\nvalues: [{ name: sensor.temperature, table: holding, address: 0, type: i16 }]\n`, 'a');
    const b = { ...a, model: 'T-2' };
    expect(() => new RegisterSetCatalog([a, b])).toThrow('two defaults for sensor: Acme T-1 and Acme T-2');
    expect(() => new RegisterSetCatalog([a, { ...a, default: false }])).toThrow('Acme T-1 appears twice for sensor');
  });

  it('names the field of a bad register set', () => {
    expect(problem('values: [{ name: a.b, table: holding, address: 0, type: u32 }, { name: c, table: holding, address: 1, type: u16 }]')).toBe('acme.yaml: values[1].address: holding 1 is already taken by values[0]');
    expect(problem('values: [{ name: a, table: holding, address: 0, type: bool }]')).toBe('acme.yaml: values[0].type: bool values live in coil or discrete tables, not holding');
    expect(problem('values: [{ name: a, table: coil, address: 0, type: u16 }]')).toBe('acme.yaml: values[0].type: a coil holds bool values');
    expect(problem('values: [{ name: a, table: holding, address: 0, type: u32, bit: 3 }]')).toBe('acme.yaml: values[0].bit: a bit is taken from a u16 or i16 register');
    expect(problem('values: [{ name: a, table: holding, address: 0, type: u16 }, { name: a, table: input, address: 0, type: u16 }]')).toBe('acme.yaml: values[1].name: a is already read by values[0]');
    expect(problem('values: [{ name: a, table: holding, address: 65535, type: u32 }]')).toBe('acme.yaml: values[0].address: a runs past address 65535');
    expect(problem('values: [{ name: a, table: holding, address: 0, type: u16, wordOrder: CDAB }]')).toMatch(/^acme.yaml: values\[0\].wordOrder: a one-register value has no word order/);
    expect(problem('limits: { maxReadRegisters: 126 }\nvalues: [{ name: a, table: holding, address: 0, type: u16 }]')).toMatch(/^acme.yaml: limits.maxReadRegisters: /);
    expect(problem('values: [{ name: a, table: holding, address: 0, type: u16, scale: 0 }]')).toMatch(/^acme.yaml: values\[0\].scale: expected a finite scale/);
    expect(problem('values: [{ name: Voltage L1, table: holding, address: 0, type: u16 }]')).toMatch(/^acme.yaml: values\[0\].name: expected a dotted quantity name/);
    expect(problem('values: [{ name: a, table: holding, address: 0, type: u16, colour: red }]')).toMatch(/^acme.yaml: values\[0\]: /);
    expect(() => parseRegisterSet('type: sensor\nvendor: [', 'x.yaml')).toThrow(/^x.yaml: not YAML/);
    // bits of one register may share it
    expect(parseRegisterSet(`${head}values: [{ name: a, table: holding, address: 4, type: u16, bit: 0 }, { name: b, table: holding, address: 4, type: u16, bit: 1 }]`, 'ok').values).toHaveLength(2);
  });
});
