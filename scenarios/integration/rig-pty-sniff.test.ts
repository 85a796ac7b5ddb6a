/**
 * The lab's sniff-and-replay path over real OS serial devices (socat pty pairs standing in for
 * two USB–RS485 adapters): the terminal's own reader reads an emulated meter through a sniffer
 * relaying in the middle; the capture decodes; replayed to the terminal it is answered again.
 *
 *   terminal ── pty T ── sniffer (relay) ── pty M ── emulated meter (ht-hil emulate meter)
 *   terminal ── pty R ── replay of the capture
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../core/clock/index.ts';
import { readTrace } from '../../core/trace/index.ts';
import { PtyPair } from '../../lines/pty-pair.ts';
import { SerialPortEndpoint } from '../../lines/serialport-endpoint.ts';
import { IEC_OPENING } from '../../lines/settings.ts';
import { describeTraceRecord } from '../../protocols/describe-trace.ts';
import { serveMeters } from '../../emulators/meters/serve.ts';
import { readModeC } from '../../terminal/meter-reader/mode-c.ts';
import type { ReadOutcome } from '../../terminal/meter-reader/outcome.ts';
import { Sniffer } from '../../hil-rig/sniff/sniffer.ts';
import { buildReplayScript } from '../../hil-rig/replay/script.ts';
import { ReplayDevice } from '../../hil-rig/replay/replayer.ts';

const clock = new RealClock();
let dir: string;
const pairs: PtyPair[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ht-hil-rig-sniff-'));
  for (const name of ['terminal', 'meter', 'replay']) pairs.push(await PtyPair.start({ name, clock }));
});
afterAll(async () => {
  for (const p of pairs) await p.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('rig over pty pairs: sniff in the middle, then replay', () => {
  it('records the terminal reading a meter through a relay, decodes the capture, and replays it to the terminal', async () => {
    const [t, m, r] = pairs as [PtyPair, PtyPair, PtyPair];
    const meter = await serveMeters({ path: m.a, meters: [{ brand: 'Landis', model: 'ZMR120AC', initialKwh: 812.5 }], clock, pace: true, line: 'optical', meterPort: 'optical' });
    const relayTerminal = await SerialPortEndpoint.open({ path: t.b, settings: IEC_OPENING, clock, id: 'optical/relay-t', line: 'optical' });
    const relayMeter = await SerialPortEndpoint.open({ path: m.b, settings: IEC_OPENING, clock, id: 'optical/relay-m', line: 'optical' });
    const sniffer = new Sniffer({ clock, line: 'optical', protocol: 'iec', between: { master: relayTerminal, device: relayMeter } });
    const terminal = await SerialPortEndpoint.open({ path: t.a, settings: IEC_OPENING, clock, pace: true, id: 'optical/terminal', line: 'optical' });
    let first: ReadOutcome;
    try {
      first = await readModeC(terminal, clock, { address: '' });
    } finally {
      await terminal.close();
      await sniffer.stop();
      await relayTerminal.close();
      await relayMeter.close();
      await meter.close();
    }
    if (!first.ok) throw new Error(`${first.reason}: ${first.detail}`);
    expect(first.identification).toMatchObject({ flag: 'LGZ', baud: 9600 });
    expect(relayMeter.settings.baudRate).toBe(300); // followed the switch and came back

    const file = join(dir, 'capture.jsonl');
    await sniffer.trace().writeFile(file);
    const records = await readTrace(file);
    const described = records.flatMap((rec) => (rec.kind === 'tx' ? [`${rec.from} ${rec.settings} ${describeTraceRecord(rec) ?? '?'}`] : []));
    expect(described).toEqual([
      'optical/reader 300 7E1 request (no address)',
      expect.stringMatching(/^optical\/meter 300 7E1 identification LGZ, 9600 baud \(mode C\), ident "ZMR120AC\.K75"/),
      'optical/reader 300 7E1 option select: normal protocol, 9600 baud, data readout',
      expect.stringMatching(/^optical\/meter 9600 7E1 readout, \d+ lines, \d+ data sets$/),
    ]);

    const script = buildReplayScript(records, { file });
    expect(script.master).toBe('optical/reader');
    const replayPort = await SerialPortEndpoint.open({ path: r.a, settings: IEC_OPENING, clock, pace: true, id: 'optical/replay', line: 'optical' });
    const replay = new ReplayDevice({ clock, endpoint: replayPort, script, mode: 'strict' });
    const terminal2 = await SerialPortEndpoint.open({ path: r.b, settings: IEC_OPENING, clock, pace: true, id: 'optical/terminal', line: 'optical' });
    let second: ReadOutcome;
    try {
      second = await readModeC(terminal2, clock, { address: '' });
    } finally {
      await terminal2.close();
    }
    const result = await replay.done;
    await replayPort.close();
    if (!second.ok) throw new Error(`${second.reason}: ${second.detail}`);
    expect(result).toMatchObject({ ok: true, answered: 2, exchanges: 2 });
    expect(second.identification).toEqual(first.identification);
    expect(second.sets).toEqual(first.sets);
  });
});
