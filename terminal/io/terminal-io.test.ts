import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import type { RecordInput } from '../../protocols/uplink/records.ts';
import { memoryIoState } from './state-file.ts';
import { TerminalIo } from './terminal-io.ts';
import { TestPins } from './test-pins.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const AC = { model: 'HT G21', io: { inputs: 2, outputs: 2 }, outageDetection: true };
const DC = { model: 'HT G23', io: { inputs: 2, outputs: 2 }, outageDetection: false };
const ON = { ioVersion: 1, io: { enabled: true, schedule: [], utcOffsetMin: 180 } };

async function rig(model = AC, options: { state?: ReturnType<typeof memoryIoState>; onPowerFail?: () => void } = {}) {
  const clock = new VirtualClock();
  const pins = new TestPins();
  const records: RecordInput[] = [];
  const io = new TerminalIo({ clock, model, pins, sink: async (r) => void records.push(r), logger, ...options });
  await io.start();
  const io_ = (kind: string) => records.filter((r) => r.kind === kind);
  return { clock, pins, records, io, io_ };
}

describe('TerminalIo', () => {
  it('reports a debounced input change with the time the contact settled; a 10 ms bounce is one change', async () => {
    const { clock, pins, io, io_ } = await rig();
    await io.handlePush({ id: 'p1', kind: 'config', body: ON });
    const t0 = clock.now();
    await clock.runFor(1000);
    pins.contact(1, true);
    for (const [dt, s] of [[2, false], [4, true], [6, false], [8, true]] as const) clock.setTimer(dt, () => pins.contact(1, s));
    await clock.runFor(500);
    // A glitch shorter than the debounce: no change.
    pins.contact(2, true);
    clock.setTimer(10, () => pins.contact(2, false));
    await clock.runFor(500);
    const inputs = io_('io').filter((r) => (r.body as { point: string }).point === 'input');
    expect(inputs.map((r) => r.body)).toEqual([
      { point: 'input', n: 1, on: false },
      { point: 'input', n: 2, on: false },
      { point: 'input', n: 1, on: true },
    ]);
    expect(inputs[2]!.at).toBe(t0 + 1000 + 8);
  });

  it('AC model: outage start and end, timed to the mains edges; a short dip is no outage', async () => {
    let powerFail = 0;
    const { clock, pins, io_ } = await rig(AC, { onPowerFail: () => powerFail++ });
    const t0 = clock.now();
    pins.setMains(false);
    clock.setTimer(30, () => pins.setMains(true));
    await clock.runFor(1000);
    expect(io_('event')).toEqual([]);
    pins.setMains(false);
    await clock.runFor(2000);
    expect(io_('event')).toEqual([{ kind: 'event', at: t0 + 1000, body: { name: 'outage-start', details: { startedAt: t0 + 1000 } } }]);
    await clock.runFor(10_000);
    expect(powerFail).toBe(1);
    pins.setMains(true);
    await clock.runFor(1000);
    expect(io_('event')[1]).toEqual({ kind: 'event', at: t0 + 13_000, body: { name: 'outage-end', details: { startedAt: t0 + 1000, endedAt: t0 + 13_000, durationMs: 12_000 } } });
  });

  it('AC model: an outage left open by a power fail ends when the restarted terminal sees mains', async () => {
    const state = memoryIoState();
    const a = await rig(AC, { state });
    a.pins.setMains(false);
    await a.clock.runFor(100);
    a.io.dispose();
    const since = state.state.outageSince;
    expect(since).toBe(a.clock.now() - 100);
    const b = await rig(AC, { state });
    expect(b.io_('event')[0]!.body).toMatchObject({ name: 'outage-end', details: { startedAt: since } });
    expect(state.state.outageSince).toBeUndefined();
  });

  it('DC model reports no outage', async () => {
    const { clock, pins, records, io } = await rig(DC);
    expect(io.outage).toBeUndefined();
    pins.setMains(false);
    await clock.runFor(60_000);
    pins.setMains(true);
    await clock.runFor(1000);
    expect(records).toEqual([]);
  });

  it('I/O support off: inputs not reported, commands refused with a reason', async () => {
    const { clock, pins, records, io } = await rig();
    pins.contact(1, true);
    await clock.runFor(200);
    expect(records).toEqual([]);
    expect(await io.handlePush({ id: 'p1', kind: 'command', body: { op: 'relay-set', output: 1, on: true } })).toEqual({ ok: false, text: 'refused: I/O support is off on this modem' });
    expect(pins.coils).toEqual([false, false]);
    await io.handlePush({ id: 'p2', kind: 'config', body: ON });
    expect(records.map((r) => r.body)).toEqual([{ point: 'input', n: 1, on: true }, { point: 'input', n: 2, on: false }]);
  });

  it('a command switches a relay, and falls back at its until', async () => {
    const { clock, pins, io, io_ } = await rig();
    await io.handlePush({ id: 'p1', kind: 'config', body: ON });
    const t0 = clock.now();
    expect(await io.handlePush({ id: 'p2', kind: 'command', body: { op: 'relay-set', output: 2, on: true, until: t0 + 60_000 } })).toEqual({ ok: true, text: 'C2 on' });
    expect(pins.coils).toEqual([false, true]);
    await clock.runFor(61_000);
    expect(pins.coils).toEqual([false, false]);
    expect(io_('io').slice(-2).map((r) => r.body)).toEqual([
      { point: 'output', n: 2, on: true, cause: 'command', push: 'p2' },
      { point: 'output', n: 2, on: false, cause: 'until' },
    ]);
    expect((await io.handlePush({ id: 'p3', kind: 'command', body: { op: 'relay-set', output: 3, on: true } })).ok).toBe(false);
    expect((await io.handlePush({ id: 'p4', kind: 'config', body: { ioVersion: 2, io: { enabled: true, schedule: [{ output: 3, days: ['mon'], on: '01:00', off: '02:00' }] } } })).text).toMatch(/no output C3/);
  });

  it('the schedule switches C1 at its times', async () => {
    const { clock, pins, io, io_ } = await rig();
    // Virtual time starts Monday 00:00 UTC = 03:00 local.
    await io.handlePush({ id: 'p1', kind: 'config', body: { ioVersion: 1, io: { enabled: true, utcOffsetMin: 180, schedule: [{ output: 1, days: ['mon', 'tue'], on: '06:00', off: '06:30' }] } } });
    const t0 = clock.now();
    await clock.runFor(2 * 86_400_000);
    const c1 = io_('io').filter((r) => (r.body as { point: string }).point === 'output');
    expect(c1.map((r) => [r.at - t0, (r.body as { on: boolean }).on])).toEqual([
      [3 * 3_600_000, true],
      [3.5 * 3_600_000, false],
      [27 * 3_600_000, true],
      [27.5 * 3_600_000, false],
    ]);
    expect(pins.coils[0]).toBe(false);
  });
});
