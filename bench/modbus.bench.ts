/**
 * Modbus: the terminal's poll sweep of 1, 32 and 247 emulated analyzers on a 9600 baud RS-485
 * line in virtual time, against the line's physical minimum for the same frames; and how many
 * read requests per wall second the emulated devices' slave engine answers, beside
 * `modbus-serial`'s own Modbus server answering the same requests.
 */
import { createServer, type Server, type Socket } from 'node:net';
import modbusSerial from 'modbus-serial';
import { VirtualClock } from '../core/clock/index.ts';
import { createModbusDevice, type ModbusDevice } from '../emulators/modbus/device.ts';
import { findModbusProfile, loadModbusProfiles } from '../emulators/modbus/profile-loader.ts';
import { SiteLoad } from '../emulators/site/load.ts';
import { Rs485Bus } from '../lines/rs485-bus.ts';
import { charTimeMs, formatSettings, MODBUS_DEFAULT } from '../lines/settings.ts';
import { VirtualWire } from '../lines/virtual-wire.ts';
import { appendCrc, decodeRequest, encodeRequest, encodeResponse, type ReadRequest } from '../protocols/modbus-rtu/index.ts';
import { shippedCatalog } from '../terminal/modbus/catalog.ts';
import { ModbusPoller, type ModbusPollerRecord } from '../terminal/modbus/poller.ts';
import { ratio, wallTime, type BenchResult } from './harness.ts';

const profiles = loadModbusProfiles();
const SDM630 = findModbusProfile('Eastron SDM630', profiles)!;
const SETTINGS = MODBUS_DEFAULT;

function analyzerSet() {
  const f = shippedCatalog().find('analyzer', 'Eastron SDM630');
  if (!f.ok) throw new Error(f.message);
  return f.set;
}

/** One sweep of `n` SDM630s by the terminal's poller: virtual and wall time, and the line's minimum for its frames. */
async function sweep(n: number): Promise<string> {
  const clock = new VirtualClock();
  const bus = new Rs485Bus(clock, 'rs485');
  const port = bus.attach('terminal', { settings: SETTINGS });
  const load = new SiteLoad({ baseKw: 40, peakKw: 40, powerFactor: 0.9, noise: 0 });
  const devices = Array.from({ length: n }, (_, i) => createModbusDevice({ profile: SDM630, address: i + 1, endpoint: bus.attach(`sdm-${i + 1}`, { settings: SETTINGS }), clock, load }));
  const frames: { from: string; start: number; end: number; bytes: number }[] = [];
  bus.tap((e) => {
    if (e.kind === 'tx') frames.push({ from: e.from, start: e.start, end: e.end, bytes: e.bytes.length });
  });
  const records: ModbusPollerRecord[] = [];
  const poller = new ModbusPoller({ clock, ports: { rs485: port }, sink: async (r) => void records.push(r) });
  const set = analyzerSet();
  poller.setDevices(devices.map((d) => ({ address: d.address, type: 'analyzer' as const, port: 'rs485' as const, set })));
  const began = clock.now();
  const { wallMs } = await wallTime(() => clock.run(poller.pollAll(), { label: 'sweep' }));
  const sweepMs = clock.now() - began;
  const readings = records.filter((r) => r.kind === 'modbus-reading' && !r.body.missing).length;
  for (const d of devices) d.dispose();
  poller.dispose();

  const c = charTimeMs(SETTINGS);
  const minimum = frames.reduce((t, f) => t + (f.bytes + 3.5) * c, 0);
  // Device reaction: from each request's last byte to its answer's first.
  let reaction = 0;
  for (let i = 1; i < frames.length; i++) if (frames[i]!.from !== port.id && frames[i - 1]!.from === port.id) reaction += frames[i]!.start - frames[i - 1]!.end;
  const bytes = frames.reduce((t, f) => t + f.bytes, 0);
  return (
    `${String(n).padStart(3)} device${n === 1 ? ' ' : 's'}: sweep ${fmtMs(sweepMs)} on the line (${frames.length} frames, ${bytes} bytes, ${readings}/${n} read whole) ` +
    `vs physical minimum ${fmtMs(minimum)} = ${ratio(sweepMs / minimum)}; of which device reaction (request end → answer start) ${fmtMs(reaction)}; simulated in ${wallMs.toFixed(0)} wall ms (${ratio(sweepMs / wallMs)} real time)`
  );
}

function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
}

/** The poller's read requests for the SDM630 register set, as RTU frames for address 1. */
function sdmRequests(): ReadRequest[] {
  const poller = new ModbusPoller({ clock: new VirtualClock(), ports: {}, sink: async () => {} });
  return poller.planOf(analyzerSet()).map((b) => b.request);
}

/** An SDM630 engine on a wire end nobody drives; the bench calls its answer path directly. */
function engine(): { device: ModbusDevice; now: () => number; answer: (rtu: Uint8Array) => Uint8Array } {
  const clock = new VirtualClock();
  const wire = new VirtualWire(clock, 'bench', { settings: SETTINGS }, { settings: SETTINGS });
  const load = new SiteLoad({ baseKw: 10, peakKw: 60, powerFactor: 0.88 });
  const device = createModbusDevice({ profile: SDM630, address: 1, endpoint: wire.b, clock, load });
  let t = clock.now();
  return {
    device,
    now: () => t,
    answer: (rtu) => {
      const { slave, request } = decodeRequest(rtu);
      t += 250; // time moves on between requests: values are computed afresh
      return encodeResponse(slave, device.slave.respond(request, request.fn, t));
    },
  };
}

/** Requests per wall second: `run(k)` answers k requests; batches until about `ms` of wall time. */
async function perSecond(run: (k: number) => Promise<void>, ms = 1000): Promise<{ rate: number; count: number }> {
  let count = 0;
  let spent = 0;
  let k = 100;
  while (spent < ms) {
    const { wallMs } = await wallTime(() => run(k));
    count += k;
    spent += wallMs;
    if (wallMs < 100) k *= 2;
  }
  return { rate: (count * 1000) / spent, count };
}

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Modbus TCP in front of an RTU answer function: MBAP header ⇄ slave + PDU + CRC. */
function mbapServer(answer: (rtu: Uint8Array) => Uint8Array, port: number): Promise<Server> {
  const server = createServer((sock: Socket) => {
    let buf = Buffer.alloc(0);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 7 && buf.length >= 6 + buf.readUInt16BE(4)) {
        const len = buf.readUInt16BE(4);
        const adu = buf.subarray(6, 6 + len); // unit id + PDU
        const rtu = answer(appendCrc(new Uint8Array(adu)));
        const head = Buffer.alloc(6);
        buf.copy(head, 0, 0, 4);
        head.writeUInt16BE(rtu.length - 2, 4);
        sock.write(Buffer.concat([head, rtu.subarray(0, rtu.length - 2)]));
        buf = buf.subarray(6 + len);
      }
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

type Client = InstanceType<typeof modbusSerial.default>;

/** A modbus-serial TCP client on `port`, unit 1. */
async function tcpClient(port: number): Promise<Client> {
  const client = new modbusSerial.default();
  await client.connectTCP('127.0.0.1', { port });
  client.setID(1);
  client.setTimeout(2000);
  return client;
}

/** The client sends the requests one after the other (one in flight), `k` in all. */
function clientLoop(client: Client, requests: readonly ReadRequest[]): (k: number) => Promise<void> {
  return async (k) => {
    for (let i = 0; i < k; i++) {
      const r = requests[i % requests.length]!;
      if (r.fn === 3) await client.readHoldingRegisters(r.address, r.quantity);
      else await client.readInputRegisters(r.address, r.quantity);
    }
  };
}

async function engines(): Promise<string[]> {
  const requests = sdmRequests();
  const frames = requests.map((r) => encodeRequest(1, r));
  const ours = engine();

  // 1. The engine alone: RTU bytes in, RTU bytes out, no line.
  const inMemory = await perSecond(async (k) => {
    for (let i = 0; i < k; i++) ours.answer(frames[i % frames.length]!);
  });

  // The words our device gives for each request, served by modbus-serial's ServerTCP.
  const words = new Map<string, number[]>();
  for (const r of requests) {
    const res = ours.device.slave.respond(r, r.fn, ours.now());
    if (!('values' in res)) throw new Error(`no values for ${r.fn}:${r.address}`);
    words.set(`${r.fn}:${r.address}`, res.values as number[]);
  }
  const serve = (fn: 3 | 4) => (addr: number, length: number): number[] => {
    const w = words.get(`${fn}:${addr}`);
    return w && w.length === length ? w : new Array<number>(length).fill(0);
  };
  const theirPort = await freePort();
  const theirs = new modbusSerial.ServerTCP({ getMultipleHoldingRegisters: serve(3), getMultipleInputRegisters: serve(4) }, { host: '127.0.0.1', port: theirPort, unitID: 1 });
  await new Promise<void>((resolve) => theirs.on('initialized', () => resolve()));
  const theirClient = await tcpClient(theirPort);
  const overServerTcp = await perSecond(clientLoop(theirClient, requests));
  await new Promise<void>((resolve) => theirClient.close(() => resolve()));
  await new Promise<void>((resolve) => theirs.close(() => resolve()));

  // 2. Our engine behind a Modbus TCP framing of a few lines, read by the same client the same way.
  const ourPort = await freePort();
  const ourServer = await mbapServer(ours.answer, ourPort);
  const ourClient = await tcpClient(ourPort);
  const overOurTcp = await perSecond(clientLoop(ourClient, requests));
  await new Promise<void>((resolve) => ourClient.close(() => resolve()));
  await new Promise<void>((resolve) => ourServer.close(() => resolve()));
  ours.device.dispose();

  const perS = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
  const what = requests.map((r) => `fn ${r.fn} ${r.address}+${r.quantity}`).join(', ');
  return [
    `requests: the terminal's SDM630 reads (${what}), in turn`,
    `ModbusSlave alone (decode, checks, register map, analyzer values, encode, CRC; no line): ${perS(inMemory.rate)}`,
    `modbus-serial ServerTCP (the same words, fixed), modbus-serial client on 127.0.0.1, one request in flight: ${perS(overServerTcp.rate)} (it defers each request with setTimeout(0), at least 1 ms in Node)`,
    `ModbusSlave behind a minimal Modbus TCP framing, same client, same way: ${perS(overOurTcp.rate)} = ${ratio(overOurTcp.rate / overServerTcp.rate)} modbus-serial's server`,
    `ModbusSlave alone against modbus-serial over TCP (not the same way: no socket on our side): ${ratio(inMemory.rate / overServerTcp.rate)}`,
  ];
}

export async function modbusBench(): Promise<BenchResult> {
  const sweeps = [];
  for (const n of [1, 32, 247]) sweeps.push(await sweep(n));
  return {
    name: `modbus: terminal poll sweeps of SDM630 analyzers at ${formatSettings(SETTINGS)} (virtual time), and slave engine throughput (wall time)`,
    lines: [
      ...sweeps,
      `physical minimum = every request and answer byte at ${(charTimeMs(SETTINGS) * 1000).toFixed(0)} µs (${formatSettings(SETTINGS)}: 10 bits a character) plus a 3.5-character gap after each frame; the rest is the devices' reaction beyond that gap (10–60 ms per answer for this model)`,
      ...(await engines()),
    ],
  };
}
