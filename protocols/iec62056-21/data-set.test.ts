import { describe, expect, it } from 'vitest';
import {
  formatDataBlock,
  formatDataLine,
  formatDataSet,
  formatFixed,
  numericDataSet,
  parseDataBlock,
  parseDataLine,
  type DataSet,
} from './data-set.ts';

describe('data sets', () => {
  it('parses address(value*unit), sets without unit and empty values', () => {
    expect(parseDataLine('1.8.0(001234.567*kWh)')).toEqual([{ address: '1.8.0', values: [{ value: '001234.567', unit: 'kWh' }] }]);
    expect(parseDataLine('0.9.1(12:30:00)')).toEqual([{ address: '0.9.1', values: [{ value: '12:30:00' }] }]);
    expect(parseDataLine('F.F()')).toEqual([{ address: 'F.F', values: [{ value: '' }] }]);
    expect(parseDataLine('()')).toEqual([{ address: '', values: [{ value: '' }] }]);
  });

  it('collects several values of one set and several sets per line', () => {
    expect(parseDataLine('1.6.0(012.345*kW)(24-01-05 12:30)')).toEqual([
      { address: '1.6.0', values: [{ value: '012.345', unit: 'kW' }, { value: '24-01-05 12:30' }] },
    ]);
    // line shape from public client tests: "3:14(314*kWh)4:15(415*kWh)"
    expect(parseDataLine('3:14(314*kWh)4:15(415*kWh)')).toEqual([
      { address: '3:14', values: [{ value: '314', unit: 'kWh' }] },
      { address: '4:15', values: [{ value: '415', unit: 'kWh' }] },
    ]);
    // EMH readout lines from a public meter reader: billing-period addresses and a P/S unit
    expect(parseDataLine('1.6.1*26(0.473*kW)(1190625140000)')[0]).toEqual({
      address: '1.6.1*26',
      values: [{ value: '0.473', unit: 'kW' }, { value: '1190625140000' }],
    });
    expect(parseDataLine('13.25(0.83*P/S)')[0]!.values[0]).toEqual({ value: '0.83', unit: 'P/S' });
  });

  it('parses a block of CR LF lines, skipping empty lines', () => {
    const block = '0.0.0(12345678)\r\n\r\n1.8.0(001234.567*kWh)2.8.0(000000.000*kWh)\r\n';
    const lines = parseDataBlock(block);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.map((s) => s.address)).toEqual(['1.8.0', '2.8.0']);
    expect(parseDataBlock('(0033402.270*kWh)')).toEqual([[{ address: '', values: [{ value: '0033402.270', unit: 'kWh' }] }]]);
  });

  it('reports malformed sets with offsets', () => {
    expect(() => parseDataLine('1.8.0(12', 100)).toThrow(/not closed by '\)' \(at offset 105\)/);
    expect(() => parseDataLine('1.8.0(1(2)', 0)).toThrow(/'\(' inside a data set value \(at offset 7\)/);
    expect(() => parseDataLine('1.8.0', 10)).toThrow(/has no '\(' \(at offset 10\)/);
    expect(() => parseDataLine(`${'1'.repeat(17)}(1)`)).toThrow(/17 characters; at most 16/);
    expect(() => parseDataLine(`1(${'9'.repeat(129)})`)).toThrow(/129 characters; at most 128/);
    expect(() => parseDataLine(`1(9*${'k'.repeat(17)})`)).toThrow(/unit is 17 characters/);
    expect(() => parseDataLine('1/2(3)')).toThrow(/address character "\/"/);
    expect(() => parseDataBlock('1(2)\r3(4)\r\n', 20)).toThrow(/CR at offset 24 is not followed by LF/);
    expect(() => parseDataBlock('1(2)\n', 20)).toThrow(/LF at offset 24 without CR/);
  });

  it('formats and round-trips', () => {
    const lines: DataSet[][] = [
      [{ address: '0.0.0', values: [{ value: '12345678' }] }],
      [{ address: '1.6.0', values: [{ value: '012.345', unit: 'kW' }, { value: '24-01-05 12:30' }] }, { address: 'F.F', values: [{ value: '' }] }],
      [{ address: '', values: [{ value: '1' }, { value: '2' }] }],
    ];
    const block = formatDataBlock(lines);
    expect(block).toBe('0.0.0(12345678)\r\n1.6.0(012.345*kW)(24-01-05 12:30)F.F()\r\n(1)(2)\r\n');
    expect(parseDataBlock(block)).toEqual(lines);
  });

  it('the builder refuses what the standard forbids', () => {
    expect(() => formatDataSet({ address: '1.8.0', values: [] })).toThrow(/has no value/);
    expect(() => formatDataSet({ address: '1.8.0', values: [{ value: '1*2' }] })).toThrow(/forbidden character "\*"/);
    expect(() => formatDataSet({ address: '1.8.0', values: [{ value: '1', unit: 'P/S' }] })).toThrow(/forbidden character "\/"/);
    expect(() => formatDataSet({ address: '1.8.0', values: [{ value: 'é' }] })).toThrow(/non-printable/);
    expect(() => formatDataLine([{ address: 'A', values: [{ value: '1' }] }, { address: '', values: [{ value: '2' }] }])).toThrow(/empty address/);
  });
});

describe('fixed-format numbers', () => {
  it('pads the integer part and fixes the decimals', () => {
    expect(formatFixed(1234.567, { integerDigits: 6, decimalDigits: 3 })).toBe('001234.567');
    expect(formatFixed(0, { integerDigits: 6, decimalDigits: 3 })).toBe('000000.000');
    expect(formatFixed(12, { integerDigits: 3, decimalDigits: 0 })).toBe('012');
    expect(formatFixed(-1.5, { integerDigits: 4, decimalDigits: 2 })).toBe('-0001.50');
    expect(formatFixed(1234567n, { integerDigits: 6, decimalDigits: 3 })).toBe('001234.567');
    expect(formatFixed(-5n, { integerDigits: 1, decimalDigits: 3 })).toBe('-0.005');
  });

  it('rounds half away from zero on the decimal text, not on binary noise', () => {
    expect(formatFixed(1.005, { integerDigits: 1, decimalDigits: 2 })).toBe('1.01');
    expect(formatFixed(2.675, { integerDigits: 1, decimalDigits: 2 })).toBe('2.68');
    expect(formatFixed(0.0004, { integerDigits: 1, decimalDigits: 3 })).toBe('0.000');
    expect(formatFixed(0.0005, { integerDigits: 1, decimalDigits: 3 })).toBe('0.001');
    expect(formatFixed(-0.0004, { integerDigits: 1, decimalDigits: 3 })).toBe('0.000');
    expect(formatFixed(9.9996, { integerDigits: 2, decimalDigits: 3 })).toBe('10.000');
    expect(formatFixed(1e21, { integerDigits: 22, decimalDigits: 0 })).toBe('1'.padEnd(22, '0').padStart(22, '0'));
  });

  it('refuses values that do not fit', () => {
    expect(() => formatFixed(1_000_000, { integerDigits: 6, decimalDigits: 3 })).toThrow(/needs 7 integer digits; the format has 6/);
    expect(() => formatFixed(9.9996, { integerDigits: 1, decimalDigits: 3 })).toThrow(/needs 2 integer digits/);
    expect(() => formatFixed(Number.NaN, { integerDigits: 1, decimalDigits: 0 })).toThrow(/finite/);
  });

  it('builds a numeric data set: 1.8.0(001234.567*kWh)', () => {
    expect(formatDataSet(numericDataSet('1.8.0', 1234.567, { integerDigits: 6, decimalDigits: 3, unit: 'kWh' }))).toBe('1.8.0(001234.567*kWh)');
    expect(formatDataSet(numericDataSet('C.7.0', 3, { integerDigits: 4, decimalDigits: 0 }))).toBe('C.7.0(0003)');
  });
});
