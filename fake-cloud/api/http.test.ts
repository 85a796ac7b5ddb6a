import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { FakeCloud } from '../fake-cloud.ts';
import { ApiError } from './errors.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const clock = new VirtualClock();
const T = clock.now();
let cloud: FakeCloud;
let base: string;

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${cloud.adminToken}` } });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  cloud = new FakeCloud({ clock, logger });
  cloud.provisionModem({ modemNo: 'G21-1', secret: 'secret-key-1', model: 'HT G21' });
  cloud.provisionModem({ modemNo: 'E21-7', secret: 'secret-key-7' });
  for (let i = 1; i <= 4; i++) {
    cloud.store.storeRecord({
      modemNo: 'G21-1',
      record: { seq: i, at: T + i * 900_000, kind: 'meter-reading', body: { port: 'rs485', meterSerial: i % 2 ? 'A' : 'B', readStart: T, readEnd: T + i * 900_000, values: [{ address: '1.8.0', value: `00${i}.000`, unit: 'kWh' }] } },
      receivedAt: T + i * 900_000 + 100,
      upTo: i,
    });
  }
  cloud.store.storeRecord({ modemNo: 'G21-1', record: { seq: 5, at: T + 5, kind: 'event', body: { name: 'terminal-start' } }, receivedAt: T + 6, upTo: 5 });
  const { httpPort } = await cloud.start({ http: { port: 0 } });
  base = `http://127.0.0.1:${httpPort}`;
});
afterAll(async () => {
  await cloud.stop();
});

describe('HTTP API', () => {
  it('lists modems', async () => {
    const r = await get('/api/modems');
    expect(r.status).toBe(200);
    expect(r.body).toEqual([
      { modemNo: 'E21-7', model: null, reportedModel: null, firmware: null, configVersion: 0, upTo: 0, online: false, lastSeenAt: null, lastSeen: null },
      expect.objectContaining({ modemNo: 'G21-1', model: 'HT G21', upTo: 5, online: false }),
    ]);
  });

  it('filters readings by meter, address and time (ms or ISO)', async () => {
    const all = await get('/api/modems/G21-1/readings?meter=A&address=1.8.0');
    expect((all.body as { value: string }[]).map((r) => r.value)).toEqual(['001.000', '003.000']);
    const from = new Date(T + 2 * 900_000).toISOString();
    const some = await get(`/api/modems/G21-1/readings?from=${from}&to=${T + 3 * 900_000}`);
    expect(some.body).toEqual([
      { seq: 2, meterSerial: 'B', port: 'rs485', address: '1.8.0', value: '002.000', unit: 'kWh', at: T + 1_800_000, time: '2026-01-05T00:30:00.000Z' },
      { seq: 3, meterSerial: 'A', port: 'rs485', address: '1.8.0', value: '003.000', unit: 'kWh', at: T + 2_700_000, time: '2026-01-05T00:45:00.000Z' },
    ]);
  });

  it('serves events and raw records', async () => {
    expect(((await get('/api/modems/G21-1/events')).body as { name: string }[]).map((e) => e.name)).toEqual(['terminal-start']);
    const recs = (await get('/api/modems/G21-1/records?afterSeq=3&limit=1')).body as { seq: number; receivedAt: number }[];
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ seq: 4, kind: 'meter-reading', receivedAt: T + 3_600_100, error: null });
  });

  it('answers a bad query with 400 naming the field', async () => {
    expect(await get('/api/modems/G21-1/readings?from=yesterday')).toEqual({
      status: 400,
      body: { error: "readings query: field 'from': expected clock ms or an ISO 8601 date-time, got 'yesterday'", field: 'from' },
    });
    expect(await get('/api/modems/G21-1/readings?limit=0')).toMatchObject({ status: 400, body: { field: 'limit' } });
    expect(await get('/api/modems/G21-1/readings?meter=A&meter=B')).toEqual({ status: 400, body: { error: "readings query: field 'meter': expected a single value, got 2", field: 'meter' } });
    expect(await get('/api/modems/G21-1/records?colour=red')).toEqual({ status: 400, body: { error: "records query: field 'colour': unknown field", field: 'colour' } });
    expect(await get('/api/modems/G21-1/events?afterSeq=1')).toMatchObject({ status: 400, body: { field: 'afterSeq' } });
  });

  it('answers 401 without a session or the admin token', async () => {
    const res = await fetch(base + '/api/modems/G21-1/readings');
    expect([res.status, await res.json()]).toEqual([401, { error: 'not logged in' }]);
    const bad = await fetch(base + '/api/modems', { headers: { authorization: 'Bearer nope' } });
    expect([bad.status, await bad.json()]).toEqual([401, { error: 'wrong admin token' }]);
  });

  it('answers 404 for an unknown modem or path', async () => {
    expect(await get('/api/modems/G21-404/readings')).toEqual({ status: 404, body: { error: 'modem G21-404 is not provisioned' } });
    expect(await get('/api/nothing')).toEqual({ status: 404, body: { error: 'no route GET /api/nothing' } });
  });
});

describe('CloudService (the same code path, called directly)', () => {
  it('validates the same way', () => {
    expect(cloud.service.readings('G21-1', { meter: 'B' }).map((r) => r.seq)).toEqual([2, 4]);
    expect(() => cloud.service.readings('G21-1', { to: 'soon' })).toThrow(ApiError);
    try {
      cloud.service.provisionModem({ modemNo: 'G21 2', secret: 'short' });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ status: 400, field: 'modemNo' });
    }
    expect(() => cloud.service.provisionModem({ modemNo: 'G21-2', secret: 'short' })).toThrow("modem: field 'secret': expected at least 8 characters");
  });
});
