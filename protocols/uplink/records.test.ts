import { describe, expect, it } from 'vitest';
import { validateRecordBody } from './records.ts';
import { typicalReading } from './test-support.ts';

function err(kind: string, body: unknown) {
  const r = validateRecordBody(kind, body);
  if (r.ok) throw new Error('expected a validation error');
  return r.error;
}

describe('validateRecordBody', () => {
  it('accepts a typical reading, a missing reading, an event and a modbus reading', () => {
    expect(validateRecordBody('meter-reading', typicalReading()).ok).toBe(true);
    expect(validateRecordBody('meter-reading', { port: 'optical', meterSerial: '1', readStart: 1, readEnd: 2, missing: { reason: 'truncated', text: '' } }).ok).toBe(true);
    expect(validateRecordBody('event', { name: 'terminal-start' }).ok).toBe(true);
    expect(validateRecordBody('modbus-reading', { port: 'rs485', address: 147, type: 'compensation-relay', readStart: 1, readEnd: 2, values: [{ name: 'voltage.l1', value: 230.1, unit: 'V' }] }).ok).toBe(true);
    expect(validateRecordBody('modbus-reading', { anything: [1] }).ok).toBe(false);
  });

  it('names the faulty field of a reading', () => {
    const body = typicalReading();
    (body.values![2] as { address: unknown }).address = 18;
    const e = err('meter-reading', body);
    expect(e.field).toBe('body.values[2].address');
    expect(e.message).toBe("uplink: meter-reading body: field 'body.values[2].address': Invalid input: expected string, received number");
    expect(err('meter-reading', { ...typicalReading(), port: 'usb' }).field).toBe('body.port');
    expect(err('meter-reading', { ...typicalReading(), flag: 'M1' }).message).toMatch(/field 'body.flag': expected a 3-letter FLAG/);
    expect(err('meter-reading', { ...typicalReading(), extra: 1 }).message).toMatch(/field 'body': Unrecognized key: "extra"/);
  });

  it('requires exactly one of values and missing, and a sane read window', () => {
    const { values: _v, ...noValues } = typicalReading();
    expect(err('meter-reading', noValues).message).toMatch(/field 'body.values': expected 'values' or 'missing'/);
    expect(err('meter-reading', { ...typicalReading(), missing: { reason: 'other', text: 'x' } }).field).toBe('body.missing');
    expect(err('meter-reading', { ...typicalReading(), readEnd: 0 }).field).toBe('body.readEnd');
    expect(err('meter-reading', { ...noValues, missing: { reason: 'lazy', text: 'x' } }).field).toBe('body.missing.reason');
  });

  it('checks event names and rejects unknown kinds on the kind field', () => {
    expect(err('event', { name: 'Meter Not Answering' }).field).toBe('body.name');
    expect(err('event', { name: 'x', details: [1] }).field).toBe('body.details');
    expect(err('weather', {}).message).toBe("uplink: field 'kind': unknown record kind 'weather', expected one of meter-reading, event, modbus-reading, io");
    expect(err('event', null).field).toBe('body');
  });
});
