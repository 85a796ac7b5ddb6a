import { describe, expect, it } from 'vitest';
import { fromHex } from '../../core/bytes.ts';
import { appendCrc } from './crc.ts';
import { decodeRequest } from './messages.ts';
import { requestException, requestProblem, tableOf, type SlaveModel } from './limits.ts';
import { readCoils, readDeviceIdentification, readDiscreteInputs, readHoldingRegisters, readInputRegisters, writeMultipleCoils, writeMultipleRegisters } from './requests.ts';
import type { ModbusRequest } from './types.ts';

/** A device with holding registers 0..99 and coils 0..15 only. */
const small: SlaveModel = {
  hasRange: (table, address, quantity) =>
    table === 'holdingRegisters' ? address + quantity <= 100 : table === 'coils' ? address + quantity <= 16 : false,
  hasDeviceObject: (id) => id <= 2,
};

describe('quantity limits (exception 3, illegal data value)', () => {
  const edges: Array<[string, (q: number) => ModbusRequest, number]> = [
    ['read coils', (q) => readCoils(0, q), 2000],
    ['read discrete inputs', (q) => readDiscreteInputs(0, q), 2000],
    ['read holding registers', (q) => readHoldingRegisters(0, q), 125],
    ['read input registers', (q) => readInputRegisters(0, q), 125],
    ['write multiple coils', (q) => writeMultipleCoils(0, Array<boolean>(q).fill(true)), 1968],
    ['write multiple registers', (q) => writeMultipleRegisters(0, Array<number>(q).fill(1)), 123],
  ];
  for (const [name, make, max] of edges) {
    it(`${name}: 1..${max}`, () => {
      expect(requestException(make(1))).toBeUndefined();
      expect(requestException(make(max))).toBeUndefined();
      expect(requestException(make(0))).toBe(3);
      expect(requestException(make(max + 1))).toBe(3);
      expect(requestProblem(make(max + 1))?.message).toMatch(new RegExp(`quantity ${max + 1} is outside 1\\.\\.${max}`));
    });
  }

  it('write single coil takes only 0xff00 and 0x0000', () => {
    expect(requestException({ fn: 5, address: 0, value: 0xff00 })).toBeUndefined();
    expect(requestException({ fn: 5, address: 0, value: 0 })).toBeUndefined();
    expect(requestException({ fn: 5, address: 0, value: 1 })).toBe(3);
    expect(requestProblem({ fn: 5, address: 0, value: 0x00ff })?.message).toMatch(/0x00ff is neither 0xff00 \(ON\) nor 0x0000 \(OFF\)/);
  });

  it('byte counts must agree with the quantity', () => {
    const coils = decodeRequest(appendCrc(fromHex('01 0f 0000 000a 01 ff'))).request;
    expect(requestProblem(coils)).toEqual({ exception: 3, message: 'write multiple coils: byte count 1 does not match quantity 10 (expected 2)' });
    const regs = decodeRequest(appendCrc(fromHex('01 10 0000 0002 03 0001 02'))).request;
    expect(requestException(regs)).toBe(3);
    expect(requestException({ fn: 16, address: 0, quantity: 2, byteCount: 4, values: [1] })).toBe(3);
  });

  it('read device id code must be 1..4', () => {
    expect(requestException(readDeviceIdentification(0))).toBe(3);
    expect(requestException(readDeviceIdentification(5))).toBe(3);
    expect(requestException(readDeviceIdentification(3, 0x99))).toBeUndefined();
  });
});

describe('address limits (exception 2, illegal data address)', () => {
  it('address + quantity may reach 65536 but not pass it', () => {
    expect(requestException(readHoldingRegisters(65535, 1))).toBeUndefined();
    expect(requestException(readHoldingRegisters(65411, 125))).toBeUndefined();
    expect(requestException(readHoldingRegisters(65412, 125))).toBe(2);
    expect(requestException(readCoils(65535, 2))).toBe(2);
    expect(requestException(writeMultipleRegisters(65535, [1, 2]))).toBe(2);
  });

  it('asks the device model which ranges exist', () => {
    expect(requestException(readHoldingRegisters(90, 10), small)).toBeUndefined();
    expect(requestException(readHoldingRegisters(90, 11), small)).toBe(2);
    expect(requestProblem(readHoldingRegisters(90, 11), small)?.message).toBe('read holding registers: holdingRegisters 90..100 do not exist on this device');
    expect(requestException(readInputRegisters(0, 1), small)).toBe(2);
    expect(requestException({ fn: 6, address: 100, value: 1 }, small)).toBe(2);
    expect(requestException({ fn: 5, address: 15, value: 0 }, small)).toBeUndefined();
    expect(requestException({ fn: 5, address: 16, value: 0 }, small)).toBe(2);
  });

  it('checks the quantity before the address, as the spec state diagrams do', () => {
    expect(requestException(readHoldingRegisters(500, 200), small)).toBe(3);
    expect(requestException({ fn: 5, address: 500, value: 7 }, small)).toBe(3);
  });

  it('individual device-id access needs an existing object; stream access never fails on the id', () => {
    expect(requestException(readDeviceIdentification(4, 2), small)).toBeUndefined();
    expect(requestException(readDeviceIdentification(4, 3), small)).toBe(2);
    expect(requestException(readDeviceIdentification(1, 3), small)).toBeUndefined();
  });

  it('report server id has nothing to check', () => {
    expect(requestException({ fn: 17 }, small)).toBeUndefined();
  });

  it('maps functions to tables', () => {
    expect([1, 2, 3, 4, 5, 6, 15, 16, 17].map(tableOf)).toEqual([
      'coils', 'discreteInputs', 'holdingRegisters', 'inputRegisters', 'coils', 'holdingRegisters', 'coils', 'holdingRegisters', undefined,
    ]);
  });
});
