import { describe, expect, it } from 'vitest';
import { decodeDataMessage, encodeDataMessage } from './data-message.ts';
import {
  formatLoadProfile,
  formatLoadProfileRequest,
  parseLoadProfile,
  parseLoadProfileRequest,
  rowTime,
  type LoadProfileBlock,
} from './load-profile.ts';
import { addMinutes, formatProfileTime, parseProfileTime } from './profile-time.ts';

// Shapes of real P.01 replies, as kept in the test suites of public meter-reading projects.
const EMH =
  'P.01(1220823161500)(00000000)(15)(6)(1.5)(kW)(2.5)(kW)(5.5)(kvar)(6.5)(kvar)(7.5)(kvar)(8.5)(kvar)\r\n' +
  '(0.18374)(0.00078)(0.00000)(0.00006)(0.00087)(0.02431)\r\n' +
  '(0.16832)(0.00000)(0.00000)(0.00000)(0.00000)(0.02686)\r\n';
const METCOM =
  'P.01(1220823150000)(08)(15)(6)(1-0:1.5.0)(kW)(1-0:2.5.0)(kW)(1-0:5.5.0)(kvar)(1-0:6.5.0)(kvar)(1-0:7.5.0)(kvar)(1-0:8.5.0)(kvar)\r\n' +
  '(0.00000)(0.12683)(0.00000)(0.11411)(0.00000)(0.00000)\r\n' +
  '(0.00028)(0.06188)(0.00059)(0.07409)(0.00000)(0.00000)\r\n';

describe('load profile P.01', () => {
  it('parses an EMH reply: season digit, seconds, 8-digit status, 6 channels', () => {
    const [b, ...rest] = parseLoadProfile(EMH);
    expect(rest).toHaveLength(0);
    expect(b!.header).toEqual({
      profile: 1,
      start: { season: 1, year: 2022, month: 8, day: 23, hour: 16, minute: 15, second: 0 },
      status: 0,
      statusDigits: 8,
      periodMinutes: 15,
      periodDigits: 2,
      countDigits: 1,
      channels: [
        { code: '1.5', unit: 'kW' },
        { code: '2.5', unit: 'kW' },
        { code: '5.5', unit: 'kvar' },
        { code: '6.5', unit: 'kvar' },
        { code: '7.5', unit: 'kvar' },
        { code: '8.5', unit: 'kvar' },
      ],
    });
    expect(b!.rows).toEqual([
      ['0.18374', '0.00078', '0.00000', '0.00006', '0.00087', '0.02431'],
      ['0.16832', '0.00000', '0.00000', '0.00000', '0.00000', '0.02686'],
    ]);
    expect(rowTime(b!.header, 1)).toEqual({ season: 1, year: 2022, month: 8, day: 23, hour: 16, minute: 30, second: 0 });
  });

  it('parses a Metcom reply (2-digit status 08, OBIS channel codes) and rebuilds both byte for byte', () => {
    const blocks = parseLoadProfile(METCOM);
    expect(blocks[0]!.header.status).toBe(8);
    expect(blocks[0]!.header.channels[0]).toEqual({ code: '1-0:1.5.0', unit: 'kW' });
    expect(formatLoadProfile(blocks)).toBe(METCOM);
    expect(formatLoadProfile(parseLoadProfile(EMH))).toBe(EMH);
  });

  it('splits a reply with a second header (status or clock change) into blocks', () => {
    const text = EMH + 'P.01(1220823170000)(00000020)(15)(6)(1.5)(kW)(2.5)(kW)(5.5)(kvar)(6.5)(kvar)(7.5)(kvar)(8.5)(kvar)\r\n(1)(2)(3)(4)(5)(6)';
    const blocks = parseLoadProfile(text);
    expect(blocks).toHaveLength(2);
    expect(blocks[1]!.header.status).toBe(0x20);
    expect(blocks[1]!.rows).toEqual([['1', '2', '3', '4', '5', '6']]);
  });

  it('builds the brief form P.01(YYMMDDhhmm)… from typed fields and round-trips it in a data message', () => {
    const block: LoadProfileBlock = {
      header: {
        profile: 1,
        start: { year: 2024, month: 2, day: 29, hour: 23, minute: 45 },
        status: 0x1a,
        periodMinutes: 15,
        channels: [{ code: '1.5.0', unit: 'kW' }, { code: '5.5.0', unit: 'kvar' }],
      },
      rows: [['00.512', '00.020'], ['00.498', '00.018']],
    };
    const text = formatLoadProfile([block]);
    expect(text).toBe('P.01(2402292345)(1A)(15)(2)(1.5.0)(kW)(5.5.0)(kvar)\r\n(00.512)(00.020)\r\n(00.498)(00.018)\r\n');
    const back = parseLoadProfile(decodeDataMessage(encodeDataMessage({ text, partial: false })).text);
    expect(back[0]!.rows).toEqual(block.rows);
    expect(back[0]!.header.start).toEqual(block.header.start);
    expect(rowTime(back[0]!.header, 1)).toEqual({ year: 2024, month: 3, day: 1, hour: 0, minute: 0 });
  });

  it('reports malformed replies with offsets', () => {
    expect(() => parseLoadProfile('(1)(2)\r\n', 50)).toThrow(/row before any P.nn header \(at offset 50\)/);
    expect(() => parseLoadProfile('P.01(2402292345)(00)(15)(2)(1.5)(kW)\r\n')).toThrow(/announces 2 channels but carries 1/);
    expect(() => parseLoadProfile('P.01(2402292345)(00)(15)(1)(1.5)(kW)\r\n(1)(2)\r\n', 10)).toThrow(/row has 2 values.*\(at offset 48\)/);
    expect(() => parseLoadProfile('P.01(2402302345)(00)(15)(0)\r\n', 0)).toThrow(/day 30 is out of range \(at offset 5\)/);
    expect(() => parseLoadProfile('P.01(2402292345)(0G)(15)(0)\r\n', 0)).toThrow(/status "0G"/);
    expect(() => parseLoadProfile('P.01(2402292345)(00)(15)(0)x\r\n', 0)).toThrow(/expected '\(' .*offset 27/);
    expect(() => parseLoadProfile('X.01(2402292345)(00)(15)(0)\r\n')).toThrow(/not P.nn/);
  });

  it('request operand P.01(from;to) both ways', () => {
    expect(formatLoadProfileRequest({ profile: 1 })).toBe('P.01(;)');
    const req = { profile: 1, from: { year: 2019, month: 4, day: 17, hour: 0, minute: 15, second: 0, season: 1 } };
    expect(formatLoadProfileRequest(req)).toBe('P.01(1190417001500;)');
    expect(parseLoadProfileRequest('P.01(1190417001500;)')).toEqual(req);
    expect(parseLoadProfileRequest('P.02(2401010000;2401020000)').to).toEqual({ year: 2024, month: 1, day: 2, hour: 0, minute: 0 });
    expect(() => parseLoadProfileRequest('P.01(24-07-13,13:00;)')).toThrow(/not P.nn\(\[from\];\[to\]\)/);
  });
});

describe('profile time', () => {
  it('reads 10, 11, 12 and 13 digit stamps and writes them back', () => {
    for (const s of ['2401051230', '12401051230', '240105123059', '0240105123059']) expect(formatProfileTime(parseProfileTime(s))).toBe(s);
    expect(() => parseProfileTime('24010512')).toThrow(/10 to 13 digits/);
    expect(() => parseProfileTime('2413051230')).toThrow(/month 13/);
  });

  it('adds minutes across days, months, leap days and years', () => {
    expect(addMinutes({ year: 2023, month: 12, day: 31, hour: 23, minute: 45 }, 15)).toEqual({ year: 2024, month: 1, day: 1, hour: 0, minute: 0 });
    expect(addMinutes({ year: 2023, month: 2, day: 28, hour: 23, minute: 50 }, 15)).toEqual({ year: 2023, month: 3, day: 1, hour: 0, minute: 5 });
    expect(addMinutes({ year: 2024, month: 3, day: 1, hour: 0, minute: 0 }, -1)).toEqual({ year: 2024, month: 2, day: 29, hour: 23, minute: 59 });
  });
});
