import { describe, expect, it } from 'vitest';
import { baudForZ, IEC_BAUD_RATES, isFastReaction, protocolModeOfZ, zForBaud } from './baud.ts';
import * as timing from './timing.ts';

describe('baud rate identification', () => {
  it('mode C/E table: 0..6 = 300..19200, 7..9 reserved', () => {
    expect(['0', '1', '2', '3', '4', '5', '6'].map((z) => baudForZ(z, 'C'))).toEqual([...IEC_BAUD_RATES]);
    expect(baudForZ('5', 'E')).toBe(9600);
    for (const z of '789') expect(baudForZ(z, 'C')).toBeUndefined();
    expect(baudForZ('A', 'C')).toBeUndefined();
  });

  it('mode B table: A..F = 600..19200, G..I reserved', () => {
    expect([...'ABCDEF'].map((z) => baudForZ(z, 'B'))).toEqual([600, 1200, 2400, 4800, 9600, 19200]);
    for (const z of 'GHI') expect(baudForZ(z, 'B')).toBeUndefined();
  });

  it('mode A announces no baud rate; mode D is 2400 on 3', () => {
    expect(baudForZ('Z', 'A')).toBeUndefined();
    expect(baudForZ('3', 'D')).toBe(2400);
    expect(baudForZ('4', 'D')).toBeUndefined();
  });

  it('Z for a baud rate, both ways, and refuses rates a mode has no character for', () => {
    for (const b of IEC_BAUD_RATES) expect(baudForZ(zForBaud(b, 'C'), 'C')).toBe(b);
    for (const b of IEC_BAUD_RATES.slice(1)) expect(baudForZ(zForBaud(b, 'B'), 'B')).toBe(b);
    expect(zForBaud(9600, 'E')).toBe('5');
    expect(zForBaud(2400, 'D')).toBe('3');
    expect(() => zForBaud(300, 'B')).toThrow(/mode B has no baud rate character for 300/);
    expect(() => zForBaud(38400, 'C')).toThrow(/38400/);
    expect(() => zForBaud(9600, 'D')).toThrow(/2400/);
  });

  it('mode of a Z character', () => {
    expect(protocolModeOfZ('5')).toBe('C');
    expect(protocolModeOfZ('9')).toBe('C');
    expect(protocolModeOfZ('E')).toBe('B');
    expect(protocolModeOfZ('I')).toBe('B');
    expect(protocolModeOfZ('J')).toBe('A');
    expect(protocolModeOfZ('@')).toBe('A');
    for (const z of ['/', '!', ' ', '\x7f', '', '55']) expect(protocolModeOfZ(z)).toBeUndefined();
  });

  it('fast reaction: third letter of the FLAG id in lower case', () => {
    expect(isFastReaction('ISk')).toBe(true);
    expect(isFastReaction('ELS')).toBe(false);
    expect(isFastReaction('Els')).toBe(true);
    expect(isFastReaction('ELS1')).toBe(false);
  });
});

describe('timing constants', () => {
  it('are the standard numbers and keep their order', () => {
    expect([timing.REACTION_TIME_FAST_MIN_MS, timing.REACTION_TIME_MIN_MS, timing.REACTION_TIME_MAX_MS]).toEqual([20, 200, 1500]);
    expect([timing.NO_RESPONSE_WAIT_MIN_MS, timing.NO_RESPONSE_WAIT_MAX_MS]).toEqual([1500, 2200]);
    expect(timing.INTER_CHARACTER_MAX_MS).toBe(1500);
    expect([timing.INACTIVITY_TIMEOUT_MIN_MS, timing.INACTIVITY_TIMEOUT_MAX_MS]).toEqual([60_000, 120_000]);
    expect(timing.reactionTimeMinMs(true)).toBe(20);
    expect(timing.reactionTimeMinMs(false)).toBe(200);
    expect(timing.BAUD_SWITCH_DEADLINE_MS).toBeLessThanOrEqual(timing.REACTION_TIME_MIN_MS);
    expect(timing.WAKEUP_NUL_MIN_MS).toBeLessThan(timing.WAKEUP_NUL_MAX_MS);
  });
});
