/**
 * The fake cloud: ingestion of 10,000 virtual terminals, each opening a session on the real
 * uplink server (HELLO, CHALLENGE, AUTH, WELCOME over in-memory links on a virtual clock) and
 * sending one period of readings (a TEDAŞ meter readout of 60 data sets and a compensation
 * relay poll), stored in SQLite; records per wall second, in memory and on a WAL file. Then the
 * wall time to answer each report over a month of one modem's 15-minute records.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../core/clock/index.ts';
import { rootLogger } from '../core/log.ts';
import { memoryLinkPair } from '../lines/net/memory-link.ts';
import { authMacHex } from '../protocols/uplink/auth.ts';
import { encodeMessage } from '../protocols/uplink/codec.ts';
import { UplinkDecoder } from '../protocols/uplink/decoder.ts';
import type { ModbusReadingBody, ReadingValue } from '../protocols/uplink/records.ts';
import { Reports } from '../fake-cloud/reports/reports.ts';
import { SiteWriter, runMeter, type SiteLoad } from '../fake-cloud/reports/test-site.ts';
import { Store } from '../fake-cloud/store/store.ts';
import { UplinkServer } from '../fake-cloud/uplink/server.ts';
import { wallTime, type BenchResult } from './harness.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
/** Terminals in session at once. */
const WAVE = 500;

/** A readout of 60 data sets, as a TEDAŞ combi meter sends it (registers, history, instantaneous, logs). */
function readout(serial: string, i: number): ReadingValue[] {
  const kwh = (v: number) => (v % 1e6).toFixed(3).padStart(10, '0');
  const base = 10_000 + (i % 997) * 13.7;
  const v: ReadingValue[] = [
    { address: '0.0.0', value: serial },
    { address: '0.9.1', value: '10:15:02' },
    { address: '0.9.2', value: '26-03-14' },
    { address: '0.1.0', value: '03' },
  ];
  for (const [k, share] of [[0, 1], [1, 0.6], [2, 0.25], [3, 0.15], [4, 0]] as const) v.push({ address: `1.8.${k}`, value: kwh(base * share), unit: 'kWh' });
  for (const back of [1, 2]) for (const [k, share] of [[0, 1], [1, 0.6], [2, 0.25], [3, 0.15], [4, 0]] as const) v.push({ address: `1.8.${k}*${back}`, value: kwh(base * share * (1 - back * 0.08)), unit: 'kWh' });
  v.push({ address: '5.8.0', value: kwh(base * 0.18), unit: 'kVArh' }, { address: '8.8.0', value: kwh(base * 0.02), unit: 'kVArh' });
  v.push({ address: '1.6.0', value: '045.120', unit: 'kW' }, { address: '1.6.0#2', value: '26-03-02,11:45' });
  for (const p of ['31', '51', '71']) v.push({ address: `${p}.7.0`, value: '62.415', unit: 'A' });
  for (const p of ['32', '52', '72']) v.push({ address: `${p}.7.0`, value: '229.80', unit: 'V' });
  for (let k = 1; k <= 12; k++) v.push({ address: `0.1.2*${k}`, value: `26-${String(k).padStart(2, '0')}-01,00:00` });
  for (const o of ['96.70', '96.71', '96.6.1', '96.1.3', '96.2.5', '96.2.2', '96.7.0', '96.7.1', '96.7.2', '96.7.3', '96.77.0*1', '96.77.0*2', '96.77.1*1', '96.77.2*1', '96.77.3*1']) v.push({ address: o, value: '26-01-10,08:12' });
  return v.slice(0, 60);
}

/** A 12-step compensation relay poll. */
function relayPoll(at: number, i: number): Omit<ModbusReadingBody, 'readStart' | 'readEnd'> & { readStart: number; readEnd: number } {
  const values = [
    ...Array.from({ length: 12 }, (_, k) => ({ name: `relay.step.${k + 1}.state`, value: (i >> k) & 1 })),
    ...Array.from({ length: 12 }, (_, k) => ({ name: `relay.step.${k + 1}.power`, value: 5 * (1 + (k >> 2)), unit: 'kvar' })),
    { name: 'relay.cosphi.measured', value: 0.97 },
    { name: 'voltage.l1', value: 229.8, unit: 'V' },
    { name: 'current.l1', value: 62.4, unit: 'A' },
  ];
  return { port: 'rs485', address: 17, type: 'compensation-relay', model: 'klemsan-remo-q', readStart: at - 600, readEnd: at, values };
}

/** One terminal's session: log in, send its records, wait for the ACK of the last, leave. */
function session(clock: VirtualClock, server: UplinkServer, modemNo: string, secret: string, i: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const { client, server: end } = memoryLinkPair(clock, modemNo, { latencyMs: 40 });
    const decoder = new UplinkDecoder();
    const send = (m: Parameters<typeof encodeMessage>[0]) => void client.write(encodeMessage(m)).catch(reject);
    const at = Math.round(clock.now());
    const records = [
      { kind: 'meter-reading', body: { port: 'rs485', meterSerial: `7${String(i).padStart(7, '0')}`, flag: 'MSY', identification: '<1>C500.KMY.2556', readStart: at - 2100, readEnd: at, values: readout(`7${String(i).padStart(7, '0')}`, i) } },
      { kind: 'modbus-reading', body: relayPoll(at, i) },
    ];
    client.onData((bytes) => {
      for (const ev of decoder.push(bytes)) {
        if (ev.kind !== 'message') continue;
        const m = ev.message;
        if (m.type === 'challenge') send({ type: 'auth', mac: authMacHex(secret, m.nonce) });
        else if (m.type === 'welcome') records.forEach((r, k) => send({ type: 'record', seq: m.upTo + k + 1, at, kind: r.kind, body: r.body }));
        else if (m.type === 'ack' && m.upTo >= records.length) {
          send({ type: 'bye', reason: 'done' });
          client.close('done');
          resolve(records.length);
        } else if (m.type === 'reject' || m.type === 'nack') reject(new Error(`${modemNo}: ${m.type} ${JSON.stringify(m)}`));
      }
    });
    server.accept(end);
    send({ type: 'hello', modemNo, model: 'HT G21', firmware: '2.0.0', lastAckedSeq: 0 });
  });
}

async function ingest(terminals: number, db: string): Promise<string> {
  const clock = new VirtualClock();
  const store = new Store(db);
  const server = new UplinkServer({ clock, store, logger });
  store.db.transaction(() => {
    for (let i = 0; i < terminals; i++) store.provisionModem({ modemNo: `B${i}`, secret: `secret-${i}`, model: 'HT G21' }, clock.now());
  })();
  let stored = 0;
  const cpu0 = process.cpuUsage();
  const { wallMs } = await wallTime(async () => {
    for (let w = 0; w < terminals; w += WAVE) {
      const wave = Array.from({ length: Math.min(WAVE, terminals - w) }, (_, k) => session(clock, server, `B${w + k}`, `secret-${w + k}`, w + k));
      const counts = await clock.run(Promise.all(wave), { label: 'wave', limitMs: 10 * MIN });
      stored += counts.reduce((a, b) => a + b, 0);
    }
  });
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const rows = (store.db.prepare('SELECT COUNT(*) AS n FROM records').get() as { n: number }).n;
  const readings = (store.db.prepare('SELECT COUNT(*) AS n FROM readings').get() as { n: number }).n;
  server.close('bench done');
  store.close();
  const where = db === ':memory:' ? 'in memory' : 'on a WAL file';
  return `${terminals.toLocaleString('en-US')} terminals ${where}: ${stored.toLocaleString('en-US')} records acked (${rows.toLocaleString('en-US')} rows, ${readings.toLocaleString('en-US')} readings) in ${(wallMs / 1000).toFixed(1)} s wall = ${Math.round(stored / (wallMs / 1000)).toLocaleString('en-US')} records/s, ${Math.round(terminals / (wallMs / 1000)).toLocaleString('en-US')} sessions/s; on ${cpuS.toFixed(1)} s of CPU = ${Math.round(stored / cpuS).toLocaleString('en-US')} records per CPU second`;
}

/** A month of one modem: 15-minute meter readouts (60 data sets) and relay polls. */
function month(store: Store): { modemNo: string; now: number } {
  const modemNo = 'R1';
  const from = Date.UTC(2026, 1, 28, 21); // 2026-03-01 00:00 Turkey
  const now = from + 31 * DAY - MIN;
  const w = new SiteWriter(store, modemNo, from - DAY);
  const load: SiteLoad = (t) => {
    const hour = new Date(t + 3 * H).getUTCHours();
    const kw = hour >= 6 && hour < 22 ? 120 : 30;
    return { kw, kvarInd: kw * 0.18, kvarCap: kw * 0.02, tariff: hour >= 6 && hour < 17 ? 1 : hour >= 17 && hour < 22 ? 2 : 3 };
  };
  const extra = readout('80099921', 1).filter((v) => !/^(1\.8\.[0-4]|5\.8\.0|8\.8\.0|3[12]\.7\.0|5[12]\.7\.0|7[12]\.7\.0|0\.0\.0)$/.test(v.address));
  store.db.transaction(() => {
    runMeter(w, { meterSerial: '80099921', from, to: now, periodMs: 15 * MIN, load, extraValues: extra.slice(0, 46) });
    for (let t = from, i = 0; t <= now; t += 15 * MIN, i++) w.modbusReading(t + 20_000, relayPoll(t + 20_000, load(t).kw > 100 ? 0xfff : 0x00f));
  })();
  return { modemNo, now };
}

async function reportTimes(): Promise<string[]> {
  const store = new Store();
  const { modemNo, now } = month(store);
  const reports = new Reports(store, new VirtualClock({ start: now }));
  const readings = (store.db.prepare('SELECT COUNT(*) AS n FROM readings').get() as { n: number }).n;
  const records = (store.db.prepare('SELECT COUNT(*) AS n FROM records').get() as { n: number }).n;
  const asks: [string, () => unknown][] = [
    ['consumption, 744 hourly buckets', () => reports.consumption(modemNo, { bucket: 'hour', from: String(now - 31 * DAY + MIN), to: String(now) })],
    ['consumption, 31 daily buckets', () => reports.consumption(modemNo, { bucket: 'day' })],
    ['reactive ratio, month + forecast + days', () => reports.reactive(modemNo, {})],
    ['capacitor steps, 2,976 polls × 12 steps', () => reports.capacitorSteps(modemNo, { from: String(now - 31 * DAY), to: String(now) })],
    ['communication state, month', () => reports.communication(modemNo, { from: String(now - 31 * DAY), to: String(now) })],
    ['instantaneous values', () => reports.instantaneous(modemNo, {})],
  ];
  const out = [`a month of one modem (${records.toLocaleString('en-US')} records, ${readings.toLocaleString('en-US')} readings), time to answer, wall (first call / median of 5) and CPU:`];
  for (const [name, ask] of asks) {
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (let k = 0; k < 6; k++) times.push((await wallTime(async () => JSON.stringify(ask()))).wallMs);
    const cpu = process.cpuUsage(cpu0);
    const rest = times.slice(1).sort((a, b) => a - b);
    out.push(`  ${name}: ${times[0]!.toFixed(1)} ms / ${rest[2]!.toFixed(1)} ms wall; ${((cpu.user + cpu.system) / 6000).toFixed(1)} ms CPU per call`);
  }
  store.close();
  return out;
}

export async function cloudBench(): Promise<BenchResult> {
  const lines = [`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')} at the start (wall figures shrink when others run)`];
  lines.push(await ingest(10_000, ':memory:'));
  const dir = await mkdtemp(join(tmpdir(), 'ht-cloud-bench-'));
  try {
    lines.push(await ingest(1_000, join(dir, 'cloud.db')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  lines.push(...(await reportTimes()));
  return { name: 'Fake cloud: ingestion and reports', lines };
}
