import { describe, expect, it } from 'vitest';
import { baudCharacter, expandObis, MeterProfileSchema, MODE_C_BAUD_RATES } from './profile-schema.ts';

/** A small valid profile; each test breaks one thing. */
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
      { obis: '1.8.0', quantity: 'energy.import.total', format: { integer: 6, decimals: 3 }, unit: 'kWh', history: { count: 2 } },
      { obis: '1.6.0', quantity: 'demand.max.import', format: { integer: 3, decimals: 3 }, unit: 'kW',
        extra: [{ quantity: 'demand.max.import.at', format: { kind: 'datetime', pattern: 'YY-MM-DD,hh:mm' } }] },
      { obis: '96.50', fixed: '06001700220099999999999999999999' },
    ],
    programming: { passwordP1: '00000000', passwordOrigin: 'assumed', readable: ['0.9.1'], writable: ['0.9.1'] },
    loadProfile: { supported: false },
  };
}

/** Parses and returns `path: message` strings of the failures. */
function problems(p: unknown): string[] {
  const r = MeterProfileSchema.safeParse(p);
  if (r.success) return [];
  return r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('MeterProfileSchema', () => {
  it('accepts a valid profile and fills defaults', () => {
    const r = MeterProfileSchema.parse(base());
    expect(r.readout[1]!.format).toEqual({ kind: 'number', integer: 6, decimals: 3, sign: 'none' });
    expect(r.readout[1]!.history).toEqual({ count: 2, base: true, numbering: 'back-index', digits: 1, unit: true, extra: true });
    expect(r.programming.readCommand).toBe('R1');
    expect(r.quirks).toEqual({});
    expect(r.aliases).toEqual([]);
  });

  it('ties fastReaction to the case of the third FLAG letter', () => {
    expect(problems({ ...base(), fastReaction: true })).toContainEqual(expect.stringContaining('fastReaction: expected false because FLAG "TST"'));
    expect(problems({ ...base(), flag: 'TSt' })).toContainEqual(expect.stringContaining('fastReaction: expected true'));
    expect(problems({ ...base(), flag: 'TSt', fastReaction: true, reactionTimeMs: { min: 20, max: 200 } })).toEqual([]);
    expect(problems({ ...base(), flag: 'tST' })[0]).toMatch(/^flag: expected a 3-letter FLAG id/);
  });

  it('keeps the reaction time inside the standard window', () => {
    expect(problems({ ...base(), reactionTimeMs: { min: 20, max: 200 } })).toContainEqual('reactionTimeMs.min: expected at least 200 ms (normal reaction), got 20');
    expect(problems({ ...base(), reactionTimeMs: { min: 700, max: 600 } })).toContainEqual('reactionTimeMs.max: expected at least min (700 ms), got 600');
    expect(problems({ ...base(), reactionTimeMs: { min: 200, max: 1600 } })).toContainEqual('reactionTimeMs.max: expected a whole number 20..1500');
  });

  it('accepts only mode C baud rates and requires mode C', () => {
    expect(problems({ ...base(), maxBaud: 38400 })[0]).toMatch(/^maxBaud: expected a mode C baud rate: 300, 600/);
    expect(problems({ ...base(), protocolModes: ['A', 'B'] })).toContainEqual('protocolModes: expected mode C among the modes, got ["A","B"]');
    expect(problems({ ...base(), protocolModes: ['C', 'C'] })).toContainEqual('protocolModes: expected each mode once');
  });

  it('checks the identification text', () => {
    expect(problems({ ...base(), identification: 'ABC!DEF' })).toContainEqual('identification: expected printable characters other than "/" and "!", got "!" at position 3');
    expect(problems({ ...base(), identification: 'ABCDEFGHIJKLMNOPQ' })).toContainEqual(expect.stringContaining('identification: expected at most 16 characters'));
    // {serial} counts with the example's length: '<1>TST' + 8 = 14, so 3 more characters overflow.
    expect(problems({ ...base(), identification: '<1>TSTABC{serial}' })).toContainEqual(expect.stringContaining('got 17 in "<1>TSTABC12345678"'));
    expect(problems({ ...base(), identification: '\\2\\@ABCDEFGHIJKLMNOP' })).toEqual([]);
    expect(problems({ ...base(), identification: 'ABC\\' })).toContainEqual(expect.stringContaining('expected a character after every "\\"'));
  });

  it('checks the serial pattern and its example', () => {
    expect(problems({ ...base(), serialNumber: { pattern: '\\d{8}', example: '1234' } })).toContainEqual('serialNumber.example: expected a serial matching /\\d{8}/, got "1234"');
    expect(problems({ ...base(), serialNumber: { pattern: '(\\d', example: '1' } })[0]).toMatch(/^serialNumber\.pattern: expected a valid regular expression, got "\(\\\\d"/);
  });

  it('binds readout lines to known quantities with fitting formats and units', () => {
    const p = base();
    p.readout[1].quantity = 'energy.imprt.total';
    expect(problems(p)).toContainEqual(expect.stringMatching(/^readout\.1\.quantity: unknown quantity "energy\.imprt\.total".*did you mean "energy\.import\.total"/));
    const q = base();
    q.readout[1].format = { kind: 'date', pattern: 'YY-MM-DD' };
    expect(problems(q)).toContainEqual('readout.1.format.kind: expected "number" for number quantity "energy.import.total", got "date"');
    const u = base();
    u.readout[1].unit = 'kvarh';
    expect(problems(u)).toContainEqual('readout.1.unit: expected a spelling of "kWh" for "energy.import.total", got "kvarh"');
    const d = base();
    d.readout[0].unit = 'V';
    expect(problems(d)).toContainEqual('readout.0.unit: expected no unit: "meter.serial" is dimensionless, got "V"');
    const x = base();
    x.readout[2].extra[0].format = { integer: 2, decimals: 0 };
    expect(problems(x)).toContainEqual('readout.2.extra.0.format.kind: expected "datetime" for datetime quantity "demand.max.import.at", got "number"');
    const c = base();
    c.readout[1].unit = 'KWH';
    expect(problems(c)).toEqual([]);
  });

  it('requires a line to be bound or fixed, not both, not neither', () => {
    const both = base();
    both.readout[3].quantity = 'meter.serial';
    expect(problems(both)).toContainEqual('readout.3: expected either quantity + format or fixed, got both');
    const none = base();
    delete none.readout[1].format;
    expect(problems(none)).toContainEqual('readout.1.format: expected a format, got nothing');
    const fixedUnit = base();
    fixedUnit.readout[3].unit = 'kWh';
    expect(problems(fixedUnit)).toContainEqual('readout.3.unit: expected nothing on a fixed line');
    const paren = base();
    paren.readout[3].fixed = 'a(b)';
    expect(problems(paren)[0]).toMatch(/^readout\.3\.fixed: expected printable text without parentheses/);
  });

  it('rejects duplicate OBIS codes, counting history lines', () => {
    const p = base();
    p.readout.push({ obis: '1.8.0*2', quantity: 'energy.import.total', format: { integer: 6, decimals: 3 } });
    expect(problems(p)).toContainEqual('readout.4.obis: expected each OBIS code once, got "1.8.0*2" again (first at readout[1])');
    const q = base();
    q.readout.push({ obis: '0.0.0', fixed: 'x' });
    expect(problems(q)).toContainEqual('readout.4.obis: expected each OBIS code once, got "0.0.0" again (first at readout[0])');
    const ok = base();
    ok.readout.push({ obis: '1.8.0', quantity: 'energy.import.total', format: { integer: 6, decimals: 3 }, history: { count: 4, base: false, digits: 2 } });
    expect(problems(ok)).toEqual([]); // prints 1.8.0*01..*04, distinct from 1.8.0*1, *2
  });

  it('checks history bindings', () => {
    const p = base();
    p.readout[1].history = { count: 2, quantity: 'outage.interval' };
    expect(problems(p)).toContainEqual('readout.1.history.format: expected history quantity and format together, got only one');
    const q = base();
    q.readout[1].history = { count: 2, quantity: 'outage.interval', format: { integer: 2, decimals: 0 } };
    expect(problems(q)).toContainEqual('readout.1.history.format.kind: expected "interval" for interval quantity "outage.interval", got "number"');
    const r = base();
    r.readout.push({ obis: '1.8.1*1', quantity: 'energy.import.t1', format: { integer: 6, decimals: 3 }, history: { count: 1 } });
    expect(problems(r)).toContainEqual(expect.stringContaining('readout.4.history: expected no history on a line that is itself a history value'));
  });

  it('checks the address policy against the ports and the readout', () => {
    expect(problems({ ...base(), ports: { optical: true, rs232: false, rs485: 0 }, address: { required: 'rs485', source: 'serial', answersWithoutAddress: false } }))
      .toContainEqual('address.required: expected "never" or "always": the profile has no RS-485 port, got "rs485"');
    expect(problems({ ...base(), address: { required: 'always', source: 'serial', answersWithoutAddress: true } }))
      .toContainEqual('address.answersWithoutAddress: expected false: the address is required on every port, got true');
    expect(problems({ ...base(), address: { required: 'never', source: 'serial', answersWithoutAddress: false } }))
      .toContainEqual('address.answersWithoutAddress: expected true: the address is never required, got false');
    const p = base();
    p.readout.shift();
    expect(problems(p)).toContainEqual('address.source: expected a readout line with quantity "meter.serial" for an address taken from the serial');
    expect(problems({ ...base(), address: { ...base().address, prefix: 'msy' } })[0]).toMatch(/^address\.prefix: expected 1\.\.4 upper case letters/);
  });

  it('checks ports and the optical echo', () => {
    expect(problems({ ...base(), ports: { optical: false, rs232: false, rs485: 0 } })).toContainEqual('ports: expected at least one port');
    expect(problems({ ...base(), ports: { optical: false, rs232: true, rs485: 0 }, opticalEcho: true })).toContainEqual('opticalEcho: expected false: the profile has no optical port');
    expect(problems({ ...base(), ports: { optical: true, rs232: false, rs485: 3 } })).toContainEqual('ports.rs485: expected a whole number 0..2');
  });

  it('requires load profile details when supported', () => {
    const missing = problems({ ...base(), loadProfile: { supported: true } });
    expect(missing).toContainEqual('loadProfile.obis: expected a value when loadProfile.supported is true, got nothing');
    expect(missing).toContainEqual('loadProfile.channels: expected a value when loadProfile.supported is true, got nothing');
    const ch = { code: '1.5.0', quantity: 'demand.average.import', unit: 'kW', format: { integer: 4, decimals: 3 } };
    const lp = { supported: true, obis: 'P.01', periodMin: 15, channels: [ch, ch] };
    expect(problems({ ...base(), loadProfile: lp })).toContainEqual('loadProfile.channels.1.code: expected each channel code once, got "1.5.0" again');
    expect(problems({ ...base(), loadProfile: { ...lp, periodMin: 7, channels: [ch] } })).toContainEqual('loadProfile.periodMin: expected one of 1, 5, 10, 15, 30, 60');
    expect(problems({ ...base(), loadProfile: { ...lp, channels: [ch] } })).toEqual([]);
  });

  it('checks programming and rejects unknown fields and quirks', () => {
    expect(problems({ ...base(), programming: { passwordP1: '1234' } })).toContainEqual('programming.passwordOrigin: expected "documented" or "assumed" for the default password, got nothing');
    expect(problems({ ...base(), programming: { readable: ['1.8.0', '1.8.0'] } })).toContainEqual('programming.readable: expected each OBIS code once');
    expect(problems({ ...base(), programming: { readable: [96.5] } })[0]).toMatch(/^programming\.readable\.0: expected an OBIS code as text .*quote codes like '96\.70'/);
    expect(problems({ ...base(), quirks: { sendsXonXoff: true } })).toContainEqual('quirks: Unrecognized key: "sendsXonXoff"');
    expect(problems({ ...base(), quirks: { autoReadoutAfterMs: 1500, requestTables: ['1', '2'] } })).toEqual([]);
    expect(problems({ ...base(), colour: 'blue' })).toContainEqual(': Unrecognized key: "colour"');
    expect(problems({ ...base(), source: [] })).toContainEqual('source: expected at least one source');
  });
});

describe('helpers', () => {
  it('maps mode C baud rates to the identification character', () => {
    expect(MODE_C_BAUD_RATES.map(baudCharacter)).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('expands back-index history but not reset-counter history', () => {
    expect(expandObis({ obis: '1.8.1' })).toEqual(['1.8.1']);
    expect(expandObis({ obis: '1.8.1', history: { count: 3 } })).toEqual(['1.8.1', '1.8.1*1', '1.8.1*2', '1.8.1*3']);
    expect(expandObis({ obis: '0.1.2', history: { count: 2, base: false, digits: 2 } })).toEqual(['0.1.2*01', '0.1.2*02']);
    expect(expandObis({ obis: '1.8.0', history: { count: 1, numbering: 'reset-counter' } })).toEqual(['1.8.0']);
  });
});
