import { describe as group, expect, it } from 'vitest';
import { ascii, fromHex } from '../../core/bytes.ts';
import { describe, reference } from './describe.ts';
import { encodeRequest, encodeResponse } from './messages.ts';
import { readCoils, readDeviceIdentification, readDiscreteInputs, readInputRegisters, writeMultipleCoils, writeMultipleRegisters, writeSingleCoil } from './requests.ts';

group('describe', () => {
  it('the three trace lines of a read', () => {
    expect(describe(fromHex('11 03 00 6b 00 03 76 87'))).toBe('slave 17 read holding 40108+3 (3 regs)');
    expect(describe(encodeResponse(17, { fn: 3, values: [0x22b, 0, 0x64] }), { direction: 'response' })).toBe('slave 17 → 3 regs: 0x022b 0x0000 0x0064');
    expect(describe(encodeResponse(17, { fn: 3, exception: 2 }))).toBe('slave 17 exception 02 illegal data address for fn 03');
    expect(describe(encodeResponse(17, { fn: 43, exception: 0x0b }))).toBe('slave 17 exception 0b gateway target device failed to respond for fn 2b');
  });

  it('reads of each table use their reference digit', () => {
    expect(describe(encodeRequest(1, readCoils(19, 19)))).toBe('slave 1 read coils 00020+19 (19 coils)');
    expect(describe(encodeRequest(1, readDiscreteInputs(196, 22)))).toBe('slave 1 read discrete 10197+22 (22 inputs)');
    expect(describe(encodeRequest(1, readInputRegisters(8, 1)))).toBe('slave 1 read input 30009+1 (1 reg)');
    expect(reference(3, 65535)).toBe('465536');
    expect(reference(3, 9998)).toBe('49999');
    expect(reference(3, 9999)).toBe('410000');
  });

  it('bit responses are trimmed when the request is known', () => {
    const req = { slave: 17, request: readCoils(19, 19) };
    const frame = encodeResponse(17, { fn: 1, values: [true, false, true, true, false, false, true, true, true, true, false, true, false, true, true, false, true, false, true] });
    expect(describe(frame, { request: req })).toBe('slave 17 → 19 coils: 10110011 11010110 101');
    expect(describe(frame, { direction: 'response' })).toBe('slave 17 → 24 coils: 10110011 11010110 10100000');
  });

  it('writes, broadcasts and their echoes', () => {
    expect(describe(encodeRequest(17, writeSingleCoil(172, true)))).toBe('slave 17 write coil 00173 = ON');
    expect(describe(encodeRequest(17, writeSingleCoil(172, true)), { direction: 'response' })).toBe('slave 17 → wrote coil 00173 = ON');
    expect(describe(encodeRequest(0, { fn: 6, address: 1, value: 3 }))).toBe('broadcast write holding 40002 = 0x0003 (3)');
    expect(describe(encodeRequest(17, writeMultipleRegisters(1, [10, 258])))).toBe('slave 17 write holding 40002+2: 0x000a 0x0102');
    expect(describe(encodeRequest(17, writeMultipleCoils(19, [true, false, true])))).toBe('slave 17 write coils 00020+3: 101');
    expect(describe(encodeResponse(17, { fn: 16, address: 1, quantity: 2 }))).toBe('slave 17 → wrote 2 regs at 40002');
    expect(describe(encodeRequest(17, { fn: 5, address: 0, value: 0x1234 }, { unchecked: true }))).toBe('slave 17 write coil 00001 = 0x1234 (neither ON nor OFF)');
  });

  it('server id and device identification', () => {
    expect(describe(encodeRequest(5, { fn: 17 }))).toBe('slave 5 report server id');
    expect(describe(encodeResponse(5, { fn: 17, data: fromHex('0a ff') }))).toBe('slave 5 → server id data (2 bytes): 0a ff');
    expect(describe(encodeRequest(5, readDeviceIdentification(1, 0)))).toBe('slave 5 read device id basic from object 0x00');
    const res = encodeResponse(5, { fn: 43, meiType: 0x0e, code: 1, conformityLevel: 0x81, moreFollows: true, nextObjectId: 2, objects: [{ id: 0, value: ascii('Grup Arge') }, { id: 1, value: ascii('GA3125') }] });
    expect(describe(res)).toBe('slave 5 → device id basic, conformity 0x81 basic + individual: 0x00="Grup Arge" 0x01="GA3125", more follows from 0x02');
  });

  it('long lists are cut', () => {
    const line = describe(encodeResponse(1, { fn: 4, values: Array.from({ length: 40 }, (_, i) => i) }));
    expect(line).toMatch(/^slave 1 → 40 regs: 0x0000 0x0001 .* 0x000f … \(\+24 more\)$/);
  });

  it('a frame that does not decode is shown with the reason and its bytes', () => {
    expect(describe(fromHex('11 03 00 6b 00 03 76 88'))).toBe('bad frame (CRC mismatch at offset 6: got 0x8876, computed 0x8776 (sent low byte first)): 11 03 00 6b 00 03 76 88');
    expect(describe(new Uint8Array(0))).toBe('bad frame (frame is 0 bytes, the smallest RTU frame is 4 (slave, function, CRC)): ');
    expect(describe(encodeResponse(9, { fn: 3, values: [1] }), { request: { slave: 9, request: readInputRegisters(0, 1) } }))
      .toBe('bad frame (read holding registers response does not answer a read input registers request): 09 03 02 00 01 98 45');
  });
});
