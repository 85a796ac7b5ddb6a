import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { InputError } from '../../core/errors.ts';
import { DEFAULT_PROFILES_DIR, findMeterProfile, loadMeterProfile, loadMeterProfiles, MeterProfileError, parseMeterProfile } from './profile-loader.ts';
import { baudCharacter } from './profile-schema.ts';
import { thrownBy } from '../../core/thrown.ts';

const shipped = loadMeterProfiles();
const FILE = 'profiles/test/broken.yaml';

/** A minimal valid profile as a plain object (YAML-able). */
function base(): Record<string, any> {
  return {
    brand: 'Testbrand',
    model: 'T1',
    source: ['unit test'],
    flag: 'TST',
    fastReaction: false,
    identification: '<1>TST{serial}',
    serialNumber: { pattern: '\\d{8}', example: '12345678' },
    maxBaud: 9600,
    reactionTimeMs: { min: 200, max: 600 },
    protocolModes: ['C'],
    ports: { optical: true, rs232: false, rs485: 1 },
    address: { required: 'never', source: 'serial', answersWithoutAddress: true },
    opticalEcho: false,
    readout: [
      { obis: '0.0.0', quantity: 'meter.serial', format: { kind: 'text', maxLength: 8 } },
      { obis: '0.9.2', quantity: 'meter.date', format: { kind: 'date', pattern: 'YY-MM-DD' } },
      { obis: '1.8.0', quantity: 'energy.import.total', format: { integer: 6, decimals: 3 }, unit: 'kWh' },
      { obis: '1.8.1', quantity: 'energy.import.t1', format: { integer: 6, decimals: 3 }, unit: 'kWh' },
    ],
    programming: { passwordP1: '00000000', passwordOrigin: 'assumed' },
    loadProfile: { supported: false },
  };
}

const errorOf = (fn: () => unknown): MeterProfileError => thrownBy(fn, MeterProfileError);

describe('shipped profiles', () => {
  it('all load and cover the eight brands of the HT manuals', () => {
    const brands = new Set(shipped.map((p) => p.profile.brand));
    expect([...brands].sort()).toEqual(['EMH', 'Elektromed', 'Elster', 'Köhler', 'Landis+Gyr', 'Luna', 'Makel', 'Viko']);
    expect(shipped.filter((p) => p.profile.brand === 'Landis+Gyr')).toHaveLength(2);
    expect(shipped.filter((p) => p.profile.brand === 'Elster')).toHaveLength(2);
  });

  it('carry the FLAG ids of the DLMS UA list and name their sources', () => {
    const flags = Object.fromEntries(shipped.map((p) => [p.profile.brand, p.profile.flag]));
    expect(flags).toEqual({ EMH: 'EMH', Elektromed: 'ELM', Elster: 'ELS', Köhler: 'AEL', 'Landis+Gyr': 'LGZ', Luna: 'LUN', Makel: 'MSY', Viko: 'VIK' });
    for (const { file, profile } of shipped) {
      expect(profile.source.length, file).toBeGreaterThan(0);
      expect(file).toMatch(/^profiles\/[a-z]+\/[a-z0-9-]+\.yaml$/);
    }
  });

  it('model the brand behaviours the HT manuals describe', () => {
    const zmd = findMeterProfile('Landis', 'ZMD310')!;
    expect(zmd.address).toMatchObject({ required: 'rs485', source: 'serial', answersWithoutAddress: false });
    expect(shipped.some((p) => p.profile.brand === 'Elster' && p.profile.ports.rs485 === 2)).toBe(true);
    const makel = findMeterProfile('Makel')!;
    expect(makel.ports).toEqual({ optical: true, rs232: true, rs485: 1 });
    expect(makel.address.prefix).toBe('MSY');
  });

  it('reproduce the captured identification lines', () => {
    const line = (brand: string, model?: string) => {
      const p = findMeterProfile(brand, model)!;
      return `/${p.flag}${baudCharacter(p.maxBaud)}${p.identification.replace('{serial}', p.serialNumber.example)}`;
    };
    expect(line('Makel')).toBe('/MSY5<1>C500.KMY.2556');
    expect(line('Köhler')).toBe('/AEL5<1>AEL.TF.21');
    expect(line('Luna')).toBe('/LUN5<1>LUN70000130');
    expect(line('Viko')).toBe('/VIK5<1>VEMM01405959');
    expect(line('LGZ', 'ZMD310')).toBe('/LGZ5\\2ZMD3104407.B32');
    expect(line('LGZ', 'ZMR120AC')).toBe('/LGZ5ZMR120AC.K75');
  });

  it('are all listed in the profiles README table', () => {
    const readme = readFileSync(join(DEFAULT_PROFILES_DIR, 'README.md'), 'utf8');
    for (const { file, profile } of shipped) {
      expect(readme, file).toContain(`\`${file.replace(/^profiles\//, '')}\``);
      expect(readme, file).toContain(`| ${profile.brand} |`);
    }
  });

  it('load one by one with the same result', () => {
    const one = loadMeterProfile(join(DEFAULT_PROFILES_DIR, 'luna', 'kombi-trifaze.yaml'));
    expect(one).toEqual(shipped.find((p) => p.file === 'profiles/luna/kombi-trifaze.yaml')!.profile);
  });
});

describe('broken profiles name the file, the field and what was expected', () => {
  const cases: [string, (p: Record<string, any>) => void, string][] = [
    ['number digits as text', (p) => { p.readout[2].format.integer = 'x'; }, `${FILE}: readout[2].format.integer: expected a whole number 1..12, got "x"`],
    ['too many digits', (p) => { p.readout[2].format.integer = 13; }, `${FILE}: readout[2].format.integer: expected a whole number 1..12, got 13`],
    ['unknown quantity', (p) => { p.readout[3].quantity = 'energy.import.t5'; }, `${FILE}: readout[3].quantity: unknown quantity "energy.import.t5"; the vocabulary is closed (quantities.ts); did you mean`],
    ['unknown format kind', (p) => { p.readout[1].format.kind = 'calendar'; }, `${FILE}: readout[1].format.kind: expected one of "number", "hex", "text", "date", "time", "datetime", "interval", got "calendar"`],
    ['bad date pattern', (p) => { p.readout[1].format.pattern = 'DD.MM.YYYY'; }, `${FILE}: readout[1].format.pattern: expected one of "YY-MM-DD", "YYMMDD", "0YYMMDD", "DD-MM-YY", got "DD.MM.YYYY"`],
    ['missing field', (p) => { delete p.flag; }, `${FILE}: flag: missing (expected a 3-letter FLAG id such as "LGZ")`],
    ['unknown field', (p) => { p.readout[0].colour = 'red'; }, `${FILE}: readout[0].colour: unknown field (not in the profile schema)`],
    ['fast reaction mismatch', (p) => { p.flag = 'TSt'; }, `${FILE}: fastReaction: expected true because FLAG "TSt" has a lower case third letter, got false`],
    ['baud rate outside mode C', (p) => { p.maxBaud = 115200; }, `${FILE}: maxBaud: expected a mode C baud rate: 300, 600, 1200, 2400, 4800, 9600, 19200, got 115200`],
    ['duplicate OBIS', (p) => { p.readout[3].obis = '1.8.0'; }, `${FILE}: readout[3].obis: expected each OBIS code once, got "1.8.0" again (first at readout[2])`],
    ['OBIS read as a number', (p) => { p.readout[3].obis = 96.7; }, `${FILE}: readout[3].obis: expected an OBIS code as text such as "1.8.0", "F.F" or "1.8.1*1" (quote codes like '96.70' in YAML), got 96.7`],
    ['wrong unit', (p) => { p.readout[2].unit = 'kW'; }, `${FILE}: readout[2].unit: expected a spelling of "kWh" for "energy.import.total", got "kW"`],
    ['readout not a list', (p) => { p.readout = 'none'; }, `${FILE}: readout: expected a list of readout lines, got "none"`],
    ['mode list without C', (p) => { p.protocolModes = ['A']; }, `${FILE}: protocolModes: expected mode C among the modes, got ["A"]`],
    ['unknown quirk', (p) => { p.quirks = { sendsXonXoff: true }; }, `${FILE}: quirks.sendsXonXoff: unknown field (not in the profile schema)`],
  ];
  for (const [name, mutate, expected] of cases) {
    it(name, () => {
      const p = base();
      mutate(p);
      const err = errorOf(() => parseMeterProfile(stringify(p), FILE));
      expect(err).toBeInstanceOf(InputError);
      expect(err.message).toContain(expected);
      expect(err.issues[0]!.file).toBe(FILE);
    });
  }

  it('the valid base parses', () => {
    expect(parseMeterProfile(stringify(base()), FILE).model).toBe('T1');
  });

  it('lists every problem, one line each', () => {
    const p = base();
    p.maxBaud = 1;
    p.readout[2].unit = 'V';
    const err = errorOf(() => parseMeterProfile(stringify(p), FILE));
    expect(err.issues.map((i) => i.path)).toEqual(['maxBaud']);
    p.maxBaud = 9600;
    p.fastReaction = true;
    const err2 = errorOf(() => parseMeterProfile(stringify(p), FILE));
    expect(err2.issues.map((i) => i.path).sort()).toEqual(['fastReaction', 'readout[2].unit', 'reactionTimeMs.min'].sort().filter((x) => x !== 'reactionTimeMs.min'));
    expect(err2.message.split('\n')).toHaveLength(2);
  });

  it('reports YAML syntax errors with line and column', () => {
    const err = errorOf(() => parseMeterProfile('brand: [unclosed\nmodel: x\n', FILE));
    expect(err.message).toMatch(/^profiles\/test\/broken\.yaml: line \d+, column \d+: YAML syntax error: /);
    const dup = errorOf(() => parseMeterProfile('brand: a\nbrand: b\n', FILE));
    expect(dup.message).toContain('YAML syntax error: Map keys must be unique');
  });

  it('reports a document that is not a mapping', () => {
    expect(errorOf(() => parseMeterProfile('- 1\n- 2\n', FILE)).message).toBe(`${FILE}: (root): expected a mapping, got a list`);
    expect(errorOf(() => parseMeterProfile('', FILE)).message).toMatch(/^profiles\/test\/broken\.yaml: \(root\): /);
  });
});

describe('findMeterProfile', () => {
  it('finds by brand, alias and diacritics-insensitive spelling', () => {
    expect(findMeterProfile('Köhler')?.model).toBe('AEL.TF.21');
    expect(findMeterProfile('kohler')?.model).toBe('AEL.TF.21');
    expect(findMeterProfile('KÖHLER')?.model).toBe('AEL.TF.21');
    expect(findMeterProfile('Mak-Say')?.model).toBe('C500');
  });

  it('finds by FLAG id, any case', () => {
    expect(findMeterProfile('VIK')?.brand).toBe('Viko');
    expect(findMeterProfile('lun')?.brand).toBe('Luna');
    expect(findMeterProfile('EMH')?.model).toBe('LZQJ-XC');
  });

  it('finds by model, exact or unique prefix', () => {
    expect(findMeterProfile('Landis', 'ZMD310')?.model).toBe('ZMD310');
    expect(findMeterProfile('LGZ', 'zmr')?.model).toBe('ZMR120AC');
    expect(findMeterProfile('Elster', 'A1500')?.ports.rs485).toBe(2);
    expect(findMeterProfile('Elster', 'as1440')?.quirks.autoReadoutAfterMs).toBe(1500);
  });

  it('returns undefined for no match and throws on an ambiguous one', () => {
    expect(findMeterProfile('Siemens')).toBeUndefined();
    expect(findMeterProfile('Landis', 'ZMG')).toBeUndefined();
    expect(() => findMeterProfile('Landis')).toThrow(/expected one profile for "Landis", got 2: ZMD310, ZMR120AC; pass a model/);
  });

  it('searches a given list', () => {
    const own = [{ ...shipped[0]!.profile, brand: 'Other', aliases: [], flag: 'OTH' }];
    expect(findMeterProfile('oth', undefined, own)?.brand).toBe('Other');
    expect(findMeterProfile('Luna', undefined, own)).toBeUndefined();
  });
});

describe('loadMeterProfiles', () => {
  const dirs: string[] = [];
  const tempProfiles = (files: Record<string, string>): string => {
    const root = mkdtempSync(join(tmpdir(), 'ht-hil-profiles-'));
    dirs.push(root);
    const dir = join(root, 'profiles');
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  };
  afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

  it('rejects two profiles of the same brand and model, naming both files', () => {
    const text = stringify(base());
    const dir = tempProfiles({ 'test/a.yaml': text, 'test/b.yaml': text.replace('Testbrand', 'TESTBRAND') });
    const err = errorOf(() => loadMeterProfiles(dir));
    expect(err.message).toBe('profiles/test/b.yaml: model: expected a brand + model not used by another profile, got "TESTBRAND T1" again (first in profiles/test/a.yaml)');
  });

  it('collects the problems of every file', () => {
    const good = base();
    const bad1 = base(); bad1.model = 'T2'; bad1.maxBaud = 7;
    const bad2 = base(); bad2.model = 'T3'; bad2.readout[0].quantity = 'nope';
    const dir = tempProfiles({ 'x/good.yml': stringify(good), 'x/bad1.yaml': stringify(bad1), 'y/bad2.yaml': stringify(bad2), 'x/notes.txt': 'ignored' });
    const err = errorOf(() => loadMeterProfiles(dir));
    expect(err.issues.map((i) => `${i.file}: ${i.path}`)).toEqual(['profiles/x/bad1.yaml: maxBaud', 'profiles/y/bad2.yaml: readout[0].quantity']);
  });

  it('reports an empty or missing folder', () => {
    expect(errorOf(() => loadMeterProfiles(tempProfiles({}))).message).toBe('profiles: (root): expected at least one *.yaml profile, found none');
    expect(errorOf(() => loadMeterProfiles(join(tmpdir(), 'no-such-ht-hil-dir'))).message).toMatch(/cannot list the profile folder \(ENOENT\)/);
    expect(errorOf(() => loadMeterProfile('/no/such/file.yaml')).message).toBe('/no/such/file.yaml: (root): cannot read the file (ENOENT)');
  });
});
