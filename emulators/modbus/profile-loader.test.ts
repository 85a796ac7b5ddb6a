import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InputError } from '../../core/errors.ts';
import {
  DEFAULT_PROFILE_DIR, findModbusProfile, loadModbusProfile, loadModbusProfiles, ModbusProfileError, parseModbusProfileText,
  profileKey, slug, type LoadedModbusProfile,
} from './profile-loader.ts';
import { modbusProfileSchema } from './profile-schema.ts';
import { mulberry32 } from '../../core/random.ts';

const work = mkdtempSync(join(tmpdir(), 'modbus-profiles-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes `text` at `rel` under a fresh folder named `name`; returns the file path. */
function put(name: string, rel: string, text: string): string {
  const file = join(work, name, rel);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** A small valid analyzer profile as a YAML-ready object. */
function analyzer(vendor = 'Acme', model = 'PM-1', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    vendor, model, class: 'energy-analyzer',
    source: { public: true, documents: [{ title: 'Acme PM-1 Modbus map', version: '1.0', url: 'https://example.org/pm1.pdf' }] },
    serial: { baud: 9600, parity: 'none', stopBits: 1, address: { rule: 'menu', default: 1 } },
    latencyMs: { min: 5, max: 20 }, functions: [3, 4],
    analyzer: { phases: 3, hasThd: false, energyResolution: 0.01 },
    registers: [
      { table: 'input', address: 0, quantity: 'voltage.l1', type: 'f32', verified: true },
      { table: 'input', address: 2, quantity: 'voltage.l2', type: 'f32', verified: true },
      { table: 'input', address: 4, quantity: 'energy.import', type: 'u32', unit: 'Wh' },
    ],
    ...extra,
  };
}

describe('shipped profiles', () => {
  const shipped = loadModbusProfiles();

  it('all load, sit at <vendor>/<model>.yaml and cover both device classes', () => {
    expect(shipped.map((p) => p.key)).toEqual([
      'eastron/sdm630', 'entes/mpr-45s', 'grup-arge/screenless-compensation-relay', 'klemsan/rapidus', 'klemsan/remo-q',
    ]);
    for (const p of shipped) expect(p.file.startsWith(DEFAULT_PROFILE_DIR)).toBe(true);
    expect(shipped.filter((p) => p.class === 'compensation-relay').length).toBe(3);
    expect(shipped.filter((p) => p.class === 'energy-analyzer').length).toBe(2);
  });

  it('every profile names its source, and a map that is not public says why', () => {
    for (const p of shipped) {
      if (p.source.public) expect(p.source.documents.length, p.key).toBeGreaterThan(0);
      else expect(p.source.notes ?? '', p.key).toMatch(/not public/i);
    }
    const rapidus = shipped.find((p) => p.key === 'klemsan/rapidus')!;
    expect(rapidus.registers.filter((r) => r.verified).map((r) => r.address)).toEqual([28, 30, 32, 34]);
    expect(shipped.find((p) => p.key === 'klemsan/remo-q')!.registers.some((r) => r.verified)).toBe(false);
  });

  it('keeps the facts the product documentation states', () => {
    const ga = shipped.find((p) => p.vendor === 'Grup Arge')!;
    expect(ga.serial.address).toEqual({ rule: 'serial-last-two-plus-100' });
    const sdm = shipped.find((p) => p.key === 'eastron/sdm630')!;
    expect(sdm.registers.find((r) => r.quantity === 'energy.import')).toMatchObject({ table: 'input', address: 0x48, type: 'f32', wordOrder: 'ABCD', unit: 'kWh' });
    expect(sdm.registers.find((r) => r.quantity === 'device.baud')!.codes).toEqual({ 0: 2400, 1: 4800, 2: 9600, 3: 19200, 4: 38400 });
  });

  it('round-trips: a parsed profile written back as YAML parses to the same profile', () => {
    for (const p of shipped) {
      const { file: _file, key: _key, ...profile } = p;
      expect(parseModbusProfileText(stringify(profile), `${p.key} (re-written)`)).toEqual(profile);
    }
  });
});

describe('error reports name the file and the field', () => {
  const cases: [string, Record<string, unknown> | string, RegExp][] = [
    ['unknown register type', analyzer('Acme', 'PM-1', { registers: [{ table: 'input', address: 0, quantity: 'voltage.l1', type: 'float' }] }), /field registers\[0\]\.type \(line \d+\): Invalid option: expected one of "bool"/],
    ['unknown quantity', analyzer('Acme', 'PM-1', { registers: [{ table: 'input', address: 0, quantity: 'volt.l1', type: 'f32' }] }), /field registers\[0\]\.quantity \(line \d+\): unknown quantity 'volt\.l1'/],
    ['overlap', analyzer('Acme', 'PM-1', { registers: [{ table: 'input', address: 0, quantity: 'voltage.l1', type: 'f32' }, { table: 'input', address: 1, quantity: 'voltage.l2', type: 'f32' }] }), /field registers\[1\]\.address \(line \d+\): registers\[1\] \(voltage\.l2 at 1…2\) overlaps registers\[0\]/],
    ['missing source', { ...analyzer(), source: undefined }, /field source \(line 1\): Invalid input: expected object, received undefined/],
    ['bad latency', analyzer('Acme', 'PM-1', { latencyMs: { min: 30, max: 20 } }), /field latencyMs\.max \(line \d+\): expected min <= max/],
    ['unknown top-level key', analyzer('Acme', 'PM-1', { colour: 'blue' }), /field \(root\) \(line 1\): Unrecognized key: "colour"/],
    ['not a mapping', '- just\n- a list\n', /field \(root\) \(line 1\): Invalid input: expected object, received array/],
    ['YAML syntax', 'vendor: Acme\nmodel: [PM-1\n', /field \(root\) \(line \d+\): YAML syntax/],
    ['duplicate YAML key', 'vendor: Acme\nvendor: Other\n', /field \(root\) \(line 2\): YAML syntax at column 1: Map keys must be unique/],
  ];
  for (const [name, content, expected] of cases) {
    it(name, () => {
      const file = put('broken', `${slug(name)}.yaml`, typeof content === 'string' ? content : stringify(content));
      let caught: unknown;
      try {
        loadModbusProfile(file);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ModbusProfileError);
      expect(caught).toBeInstanceOf(InputError);
      const err = caught as ModbusProfileError;
      expect(err.file).toBe(file);
      expect(err.message.startsWith(`${file}: field `)).toBe(true);
      expect(err.message).toMatch(expected);
      expect(err.issues.length).toBeGreaterThan(0);
    });
  }

  it('lists every issue of a file, each with its line', () => {
    const text = stringify(analyzer('Acme', 'PM-1', { latencyMs: { min: -1, max: 5 }, functions: [] }));
    const err = (() => { try { parseModbusProfileText(text, 'two.yaml'); } catch (e) { return e as ModbusProfileError; } return undefined; })();
    expect(err?.issues.map((i) => i.path)).toEqual(['latencyMs.min', 'functions']);
    expect(err?.issues.every((i) => typeof i.line === 'number')).toBe(true);
  });

  it('reports a file that cannot be read', () => {
    expect(() => loadModbusProfile(join(work, 'missing.yaml'))).toThrow(/missing\.yaml: field \(root\): cannot read the file/);
    expect(() => loadModbusProfiles(join(work, 'no-such-dir'))).toThrow(ModbusProfileError);
  });

  it('reads hex addresses as the vendor tables print them', () => {
    const text = stringify(analyzer()).replace('address: 4', 'address: 0x0004');
    expect(text).toContain('0x0004');
    expect(parseModbusProfileText(text, 'hex.yaml').registers[2]!.address).toBe(4);
  });
});

describe('loading a folder', () => {
  it('rejects a profile filed under the wrong path', () => {
    put('misplaced', 'acme/pm-2.yaml', stringify(analyzer('Acme', 'PM-1')));
    expect(() => loadModbusProfiles(join(work, 'misplaced'))).toThrow(/pm-2\.yaml: field model: a profile for Acme PM-1 belongs at acme\/pm-1\.yaml; found at acme\/pm-2\.yaml/);
  });

  it('rejects duplicates: an alias that is another profile\'s vendor+model', () => {
    put('dupes', 'acme/pm-1.yaml', stringify(analyzer('Acme', 'PM-1')));
    const second = put('dupes', 'acme/pm-2.yaml', stringify(analyzer('Acme', 'PM-2', { aliases: ['PM 1'] })));
    expect(() => loadModbusProfiles(join(work, 'dupes'))).toThrow(new RegExp(`${second.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: field model: duplicate profile: the name 'acmepm1'`));
  });

  it('loads .yml files in nested folders in path order', () => {
    put('nested', 'acme/pm-1.yml', stringify(analyzer('Acme', 'PM-1')));
    put('nested', 'beta/pm-1.yaml', stringify(analyzer('Beta', 'PM-1')));
    expect(loadModbusProfiles(join(work, 'nested')).map((p) => p.key)).toEqual(['acme/pm-1', 'beta/pm-1']);
  });
});

describe('findModbusProfile', () => {
  const shipped = loadModbusProfiles();

  it('finds by key, by "Vendor Model" text, by alias and by model alone', () => {
    const key = (q: string): string | undefined => findModbusProfile(q, shipped)?.key;
    expect(key('klemsan/remo-q')).toBe('klemsan/remo-q');
    expect(key('Klemsan REMO-Q')).toBe('klemsan/remo-q');
    expect(key('REMOQ')).toBe('klemsan/remo-q');
    expect(key('rapidus')).toBe('klemsan/rapidus');
    expect(key('Eastron SDM630')).toBe('eastron/sdm630');
    expect(key('sdm630')).toBe('eastron/sdm630');
    expect(key('MPR45S')).toBe('entes/mpr-45s');
    expect(key('GA screenless relay')).toBe('grup-arge/screenless-compensation-relay');
    expect(key('Grup Arge Screenless compensation relay')).toBe('grup-arge/screenless-compensation-relay');
  });

  it('returns undefined for an unknown name and uses the shipped folder by default', () => {
    expect(findModbusProfile('Schneider PM5560', shipped)).toBeUndefined();
    expect(findModbusProfile('', shipped)).toBeUndefined();
    expect(findModbusProfile('klemsan/rapidus')?.model).toBe('RAPIDUS');
  });

  it('refuses a name that fits two profiles', () => {
    const two = loadModbusProfiles(join(work, 'nested'));
    expect(() => findModbusProfile('PM-1', two)).toThrow(/'PM-1' fits acme\/pm-1, beta\/pm-1; expected a vendor\/model key/);
    expect(findModbusProfile('beta/pm-1', two)?.vendor).toBe('Beta');
  });

  it('derives keys with slugs', () => {
    expect(profileKey({ vendor: 'Grup Arge', model: 'RKR 12 (Ekransız)' })).toBe('grup-arge/rkr-12-ekransiz');
    expect(slug('  REMO-Q  ')).toBe('remo-q');
  });
});


describe('fuzz', () => {
  it('mutated profile text either parses or fails with a ModbusProfileError naming the file', () => {
    const base = stringify(analyzer());
    const pieces = [':', '-', ' ', '\n', '[', ']', '{', '}', '"', "'", '0x', '#', '&a', '*a', '!!', '999999', '-1', 'null', 'true', 'relay', 'holding', '\t', 'é'];
    const rand = mulberry32(0x5eed);
    let parsed = 0;
    let rejected = 0;
    for (let i = 0; i < 1000; i++) {
      let text = base;
      const edits = 1 + Math.floor(rand() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * text.length);
        const op = rand();
        if (op < 0.4) text = text.slice(0, at) + pieces[Math.floor(rand() * pieces.length)]! + text.slice(at);
        else if (op < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 8));
        else text = text.slice(0, at) + String.fromCharCode(32 + Math.floor(rand() * 95)) + text.slice(at + 1);
      }
      try {
        parseModbusProfileText(text, `fuzz-${i}.yaml`);
        parsed++;
      } catch (err) {
        expect(err).toBeInstanceOf(ModbusProfileError);
        expect((err as Error).message.startsWith(`fuzz-${i}.yaml: field `)).toBe(true);
        rejected++;
      }
    }
    expect(parsed + rejected).toBe(1000);
    expect(rejected).toBeGreaterThan(500);
    expect(parsed).toBeGreaterThan(10);
  });

  it('the schema never throws on random JSON-like values', () => {
    const rand = mulberry32(7);
    const value = (depth: number): unknown => {
      const r = rand();
      if (depth > 3 || r < 0.3) return [null, true, 0, -1, 1e309, 'x', 'holding', 0.5][Math.floor(rand() * 8)];
      if (r < 0.6) return Array.from({ length: Math.floor(rand() * 4) }, () => value(depth + 1));
      const keys = ['vendor', 'model', 'class', 'registers', 'table', 'address', 'quantity', 'type', 'relay', 'steps', 'serial', 'source'];
      return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, () => [keys[Math.floor(rand() * keys.length)]!, value(depth + 1)]));
    };
    for (let i = 0; i < 2000; i++) expect(() => modbusProfileSchema.safeParse(value(0))).not.toThrow();
  });
});

// Type-level: loaded profiles keep their class-specific blocks.
const relayOnly = (p: LoadedModbusProfile): number => (p.class === 'compensation-relay' ? p.relay.steps : 0);
void relayOnly;
