import { describe, expect, it } from 'vitest';
import { parseTerminalConfig } from './config.ts';
import { findTerminalModel } from './models/loader.ts';

const base = { modemNo: '31210001', secret: 'a'.repeat(32), sendPeriodMin: 15 };

describe('terminal config', () => {
  it('accepts the manuals’ set-ups and fills defaults', () => {
    const c = parseTerminalConfig({ ...base, meters: { optical: {}, rs485: [{ serial: '1' }, { serial: '2', brand: 'Landis' }] } }, findTerminalModel('E21'));
    expect(c.retries).toBe(2);
    expect(c.meters.rs485).toHaveLength(2);
  });

  it('names the field that breaks a rule', () => {
    const e21 = findTerminalModel('E21');
    expect(() => parseTerminalConfig({ ...base, sendPeriodMin: 241 }, e21)).toThrow(/terminal config: sendPeriodMin: expected at most 240 minutes/);
    expect(() => parseTerminalConfig({ ...base, sendPeriodMin: 0 }, e21)).toThrow(/sendPeriodMin: expected at least 1 minute/);
    expect(() => parseTerminalConfig({ ...base, meters: { rs485: [{ serial: '1' }, {}] } }, e21)).toThrow(/meters\.rs485\[1\]\.serial: with more than one meter/);
    expect(() => parseTerminalConfig({ ...base, meters: { rs485: [{ brand: 'Landis+Gyr' }] } }, e21)).toThrow(/Landis meters on RS-485 need their serial/);
    expect(() => parseTerminalConfig({ ...base, meters: { rs485: [{ serial: '0012' }, { serial: '12' }] } }, e21)).toThrow(/meters\.rs485\[1\]: address 12 is already used by meters\.rs485\[0\]/);
    expect(() => parseTerminalConfig({ ...base, meters: { rs485: Array.from({ length: 33 }, (_, i) => ({ serial: String(i + 1) })) } }, e21)).toThrow(/at most 32 meters/);
    expect(() => parseTerminalConfig({ ...base, meters: { optical: {} } }, findTerminalModel('G22'))).toThrow(/HT G22 reads Modbus devices only/);
  });
});
