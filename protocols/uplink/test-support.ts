/** Shared by the uplink tests: a seeded PRNG and typical messages. */
import type { UplinkMessage } from './messages.ts';
import type { MeterReadingBody } from './records.ts';
import { mulberry32 } from '../../core/random.ts';
export { mulberry32 };


/** A typical 15-minute readout of an electricity meter: 8 data sets. */
export function typicalReading(at = Date.UTC(2026, 0, 5, 10, 15)): MeterReadingBody {
  return {
    port: 'rs485',
    meterSerial: '30012345',
    flag: 'MSY',
    identification: 'MSY5<2>M550.2251',
    readStart: at - 1840,
    readEnd: at,
    values: [
      { address: '0.0.0', value: '30012345' },
      { address: '1.8.0', value: '012345.678', unit: 'kWh' },
      { address: '1.8.1', value: '008123.456', unit: 'kWh' },
      { address: '1.8.2', value: '003012.100', unit: 'kWh' },
      { address: '1.8.3', value: '001210.122', unit: 'kWh' },
      { address: '5.8.0', value: '000321.004', unit: 'kvarh' },
      { address: '8.8.0', value: '000045.210', unit: 'kvarh' },
      { address: '0.9.1', value: '10:15:00' },
    ],
  };
}

/** One message of each type, with realistic fields. */
export function sampleMessages(): UplinkMessage[] {
  const at = Date.UTC(2026, 0, 5, 10, 15);
  return [
    { type: 'hello', modemNo: 'G21-000123', model: 'HT G21', firmware: '1.4.2', lastAckedSeq: 41 },
    { type: 'challenge', nonce: '00112233445566778899aabbccddeeff' },
    { type: 'auth', mac: 'ab'.repeat(32) },
    { type: 'welcome', serverTime: at, configVersion: 3, upTo: 41 },
    { type: 'reject', reason: 'bad-auth', text: 'HMAC does not match the modem key' },
    { type: 'record', seq: 42, at, kind: 'meter-reading', body: typicalReading(at) },
    { type: 'record', seq: 43, at, kind: 'event', body: { name: 'meter-not-answering', details: { meterSerial: '30012345', tries: 3 } } },
    {
      type: 'record',
      seq: 44,
      at,
      kind: 'meter-reading',
      body: { port: 'optical', meterSerial: '77', readStart: at - 5000, readEnd: at, missing: { reason: 'no-answer', text: 'no identification within 1500 ms' } },
    },
    { type: 'record', seq: Number.MAX_SAFE_INTEGER, at, kind: 'modbus-reading', body: { slave: 101, registers: [1, 2, 3] } },
    { type: 'ack', upTo: 44 },
    { type: 'nack', seq: 45, reason: 'storage error', retryInMs: 30000 },
    { type: 'push', id: 'p17', kind: 'command', body: { relay: 1, on: true } },
    { type: 'push-ack', id: 'p17', ok: false, text: 'I/O support is off' },
    { type: 'push-ack', id: 'p18', ok: true },
    { type: 'ping', n: 7 },
    { type: 'pong', n: 7 },
    { type: 'bye', reason: 'shutting down' },
  ];
}
