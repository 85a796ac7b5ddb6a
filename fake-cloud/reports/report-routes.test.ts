import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { ApiError } from '../api/errors.ts';
import { Store } from '../store/store.ts';
import { addReportRoutes } from './report-routes.ts';
import { Reports } from './reports.ts';
import { SiteWriter, runMeter } from './test-site.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 9, 21); // 2026-03-10 00:00 in Turkey
const NOW = T0 + DAY + 30 * MIN;
let store: Store;
let server: Server;
let base: string;

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(base + path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  store = new Store();
  const w = new SiteWriter(store, 'G21-1', T0);
  runMeter(w, { meterSerial: '80099921', from: T0, to: NOW, periodMs: 15 * MIN, load: () => ({ kw: 60, kvarInd: 30, kvarCap: 0, tariff: 1 }) });
  w.event(T0 + 3 * 3_600_000, 'outage-start', { startedAt: T0 + 3 * 3_600_000 });
  const app = express();
  addReportRoutes(app, new Reports(store, new VirtualClock({ start: NOW })));
  // The error handler of the cloud's app (api/http.ts).
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ApiError) res.status(err.status).json(err.field === undefined ? { error: err.message } : { error: err.message, field: err.field });
    else res.status(500).json({ error: String(err) });
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/modems`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  store.close();
});

describe('report routes', () => {
  it('answer JSON reports', async () => {
    expect((await get('/G21-1/reports/meters')).body).toEqual({ modemNo: 'G21-1', meters: ['80099921'] });
    const c = await get(`/G21-1/reports/consumption?bucket=hour&from=${T0}&to=2026-03-11T00:00:00%2B03:00`);
    expect(c.status).toBe(200);
    expect((c.body['buckets'] as unknown[]).length).toBe(24);
    expect(c.body['totalKwh']).toBeCloseTo(24 * 60, 2);
    const r = await get('/G21-1/reports/reactive');
    expect(r.status).toBe(200);
    expect(r.body['ratio']).toMatchObject({ inductivePct: 50, overInductive: true });
    expect(r.body['forecast']).toMatchObject({ willExceedInductive: true });
    expect((await get('/G21-1/reports/instantaneous')).body['sources']).toHaveLength(1);
    expect((await get('/G21-1/reports/capacitor-steps')).body['relays']).toEqual([]);
    expect((await get('/G21-1/reports/io')).body['changes']).toEqual([]);
    expect((await get('/G21-1/reports/outages')).body).toMatchObject({ count: 1, outages: [{ open: true }] });
    expect((await get('/G21-1/reports/communication')).body).toMatchObject({ periodMin: 15, online: null });
  });

  it('answer 400 naming the field, 404 for an unknown modem', async () => {
    expect(await get('/G21-1/reports/consumption?bucket=year')).toMatchObject({ status: 400, body: { field: 'bucket' } });
    expect(await get('/G21-1/reports/consumption?from=1&from=2')).toMatchObject({ status: 400, body: { field: 'from', error: "consumption query: field 'from': expected a single value, got 2" } });
    expect(await get('/G21-1/reports/reactive?month=March')).toMatchObject({ status: 400, body: { field: 'month' } });
    expect(await get('/G21-1/reports/communication?periodMin=0')).toMatchObject({ status: 400, body: { field: 'periodMin' } });
    expect(await get('/G21-1/reports/io?n=9')).toMatchObject({ status: 400, body: { field: 'n' } });
    expect(await get('/G21-1/reports/outages?to=soon')).toMatchObject({ status: 400, body: { field: 'to' } });
    expect((await get('/X-1/reports/consumption')).status).toBe(404);
  });
});
