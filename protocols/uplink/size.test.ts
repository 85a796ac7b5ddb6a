/** The data budget of a G21 on a 100 MB/month SIM, as stated in README.md. */
import { describe, expect, it } from 'vitest';
import { encodeMessage } from './codec.ts';
import { typicalReading } from './test-support.ts';

describe('uplink data budget', () => {
  const at = Date.UTC(2026, 0, 5, 10, 15);
  const record = encodeMessage({ type: 'record', seq: 1_234_567, at, kind: 'meter-reading', body: typicalReading(at) });
  const ack = encodeMessage({ type: 'ack', upTo: 1_234_567 });

  it('a typical 8-value reading record is 373 bytes framed, its ACK 25', () => {
    expect(record.length).toBe(373);
    expect(ack.length).toBe(25);
  });

  it('32 meters × 96 readings/day for 31 days fit in 100 MB with room for TCP/IP', () => {
    const perMonth = 32 * 96 * 31;
    const payloadBytes = perMonth * (record.length + ack.length);
    // One TCP/IP header (40 bytes) per record and per ack, as if nothing were batched: the worst case.
    const withTcp = payloadBytes + perMonth * 2 * 40;
    expect(withTcp).toBeLessThan(50 * 1024 * 1024);
  });
});
