import { describe, expect, it } from 'vitest';
import { checkConfigPushBody, checkModbusSettings } from './modbus-config.ts';
import { validateRecordBody } from './records.ts';

const relay = { address: 147, type: 'compensation-relay', port: 'rs485' };
const analyzer = { address: 1, type: 'analyzer', model: 'Eastron SDM630', port: 'rs485' };

function problem(input: unknown): string {
  const r = checkModbusSettings(input);
  if (r.ok) throw new Error('expected a problem');
  return r.message;
}

describe('Modbus device list', () => {
  it('accepts a list and defaults the port to rs485', () => {
    const r = checkModbusSettings({ devices: [relay, { address: 2, type: 'sensor' }, { address: 2, type: 'io-module', port: 'rs232' }] });
    expect(r.ok && r.value.devices.map((d) => d.port)).toEqual(['rs485', 'rs485', 'rs232']);
    expect(checkModbusSettings({ devices: [] }).ok).toBe(true);
  });

  it('names the field of each rule it enforces', () => {
    expect(problem({ devices: [relay, analyzer, { address: 17, type: 'sensor' }, { address: 17, type: 'analyzer' }] })).toBe('devices[3].address: duplicate address 17 on rs485 (devices[2] has it)');
    expect(problem({ devices: [{ ...relay, port: 'rs232' }, { ...analyzer, port: 'rs232' }] })).toBe('devices[1].port: only one Modbus device on rs232 (devices[0] is there)');
    expect(problem({ devices: [{ ...relay, address: 248 }] })).toBe('devices[0].address: expected a Modbus address 1..247 (248..255 are reserved)');
    expect(problem({ devices: [{ ...relay, address: 0 }] })).toMatch(/^devices\[0\]\.address: expected a Modbus address/);
    expect(problem({ devices: [{ ...relay, address: 1.5 }] })).toMatch(/^devices\[0\]\.address: /);
    expect(problem({ devices: [{ ...relay, type: 'pump' }] })).toMatch(/^devices\[0\]\.type: expected one of compensation-relay, analyzer/);
    expect(problem({ devices: [{ ...relay, port: 'usb' }] })).toBe('devices[0].port: expected rs485 or rs232');
    expect(problem({ devices: [{ ...relay, colour: 'red' }] })).toBe('devices[0].colour: unknown field');
    expect(problem({ devices: [{ ...relay, model: '  ' }] })).toMatch(/^devices\[0\]\.model: /);
    expect(problem({})).toMatch(/^devices: /);
    expect(problem(null)).toMatch(/^\(body\): /);
  });

  it('allows 247 devices on rs485 and the same address on the other line', () => {
    const devices = Array.from({ length: 247 }, (_, i) => ({ address: i + 1, type: 'energy-meter' }));
    expect(checkModbusSettings({ devices: [...devices, { address: 5, type: 'sensor', port: 'rs232' }] }).ok).toBe(true);
  });

  it('checks the config push body', () => {
    expect(checkConfigPushBody({ version: 3, modbus: { devices: [relay] } }).ok).toBe(true);
    const r = checkConfigPushBody({ version: 0, modbus: { devices: [] } });
    expect(!r.ok && r.field).toBe('version');
    const d = checkConfigPushBody({ version: 2, modbus: { devices: [relay, relay] } });
    expect(!d.ok && d.message).toBe('modbus.devices[1].address: duplicate address 147 on rs485 (devices[0] has it)');
  });
});

describe('modbus-reading record body', () => {
  const base = { port: 'rs485', address: 147, type: 'compensation-relay', model: 'Grup Arge Screenless compensation relay', readStart: 10, readEnd: 20 };
  const field = (body: unknown): string | undefined => {
    const r = validateRecordBody('modbus-reading', body);
    return r.ok ? undefined : r.error.field;
  };
  it('accepts values, missing, or both (a partial reading)', () => {
    expect(field({ ...base, values: [{ name: 'voltage.l1', value: 230.1, unit: 'V' }, { name: 'relay.steps.mask', value: 7 }] })).toBeUndefined();
    expect(field({ ...base, missing: { reason: 'no-answer', text: 'no answer to 3 tries' } })).toBeUndefined();
    expect(field({ ...base, missing: { reason: 'exception', code: 2, text: 'illegal data address' } })).toBeUndefined();
    expect(field({ ...base, values: [], missing: { reason: 'crc-error', text: 'block 2' } })).toBeUndefined();
  });
  it('names what is wrong', () => {
    expect(field(base)).toBe('body.values');
    expect(field({ ...base, address: 0, values: [] })).toBe('body.address');
    expect(field({ ...base, type: 'pump', values: [] })).toBe('body.type');
    expect(field({ ...base, values: [{ name: 'x', value: '1' }] })).toBe('body.values[0].value');
    expect(field({ ...base, missing: { reason: 'exception', text: '' } })).toBe('body.missing.code');
    expect(field({ ...base, missing: { reason: 'no-answer', code: 2, text: '' } })).toBe('body.missing.code');
    expect(field({ ...base, readEnd: 5, values: [] })).toBe('body.readEnd');
  });
});
