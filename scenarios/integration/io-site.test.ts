/** Site I/O end to end: emulated site ↔ terminal I/O block ↔ uplink ↔ fake cloud, on virtual time. */
import { afterEach, describe, expect, it } from 'vitest';
import { IoBench } from './io-rig.ts';

let bench: IoBench | undefined;
afterEach(async () => {
  await bench?.dispose();
  bench = undefined;
});

const MIN = 60_000;

describe('site I/O end to end', () => {
  it('AC model reports an outage with its start and end; DC model reports none', async () => {
    bench = new IoBench();
    const ac = bench.modem('24000001', 'HT G24');
    const dc = bench.modem('26000001', 'HT G26');
    await bench.start();
    const from = bench.clock.now() + MIN;
    ac.mains.scheduleOutage(from, from + 10 * MIN);
    dc.mains.scheduleOutage(from, from + 10 * MIN);
    await bench.clock.runFor(15 * MIN);
    const ev = (no: string) => bench!.cloud.service.events(no).filter((e) => e.name.startsWith('outage'));
    expect(ev('24000001').map((e) => [e.name, e.at, e.details])).toEqual([
      ['outage-start', from, { startedAt: from }],
      ['outage-end', from + 10 * MIN + 2000, { startedAt: from, endedAt: from + 10 * MIN + 2000, durationMs: 10 * MIN + 2000 }],
    ]);
    expect(ac.powered).toBe(true);
    expect(ev('26000001')).toEqual([]);
  });

  it('an input change is reported with its time, debounced: a 10 ms bounce is one change', async () => {
    bench = new IoBench();
    const a = bench.modem('21000001', 'HT G21');
    await bench.start();
    bench.cloud.service.io.setSettings('21000001', { enabled: true });
    await bench.clock.runFor(5000);
    const t = bench.clock.now();
    a.panel.inputs[0]!.bounce(true, { bounces: 5, periodMs: 1 }); // settles after 10 ms
    await bench.clock.runFor(5000);
    a.panel.inputs[1]!.set(true);
    bench.clock.setTimer(10, () => a.panel.inputs[1]!.set(false)); // a 10 ms glitch
    await bench.clock.runFor(5000);
    const inputs = bench.cloud.service.io.changes('21000001', { point: 'input' });
    expect(inputs.map((c) => [c.n, c.on])).toEqual([[1, false], [2, false], [1, true]]);
    expect(inputs[2]!.at).toBe(t + 10);
    expect(bench.cloud.service.events('21000001', { name: 'input-change' })).toHaveLength(3);
  });

  it('a relay commanded from the cloud switches the output and its load', async () => {
    bench = new IoBench();
    const a = bench.modem('22000001', 'HT G22');
    await bench.start();
    bench.cloud.service.io.setSettings('22000001', { enabled: true });
    await bench.clock.runFor(5000);
    const push = bench.cloud.service.io.setRelay('22000001', { output: 2, on: true, until: bench.clock.now() + 10 * MIN });
    await bench.clock.runFor(5000);
    expect(a.panel.outputs[1]!.contactClosed).toBe(true);
    expect(bench.cloud.service.pushes('22000001').find((p) => p.id === push.id)).toMatchObject({ ok: true, resultText: 'C2 on' });
    await bench.clock.runFor(10 * MIN);
    expect(a.panel.outputs[1]!.relayHistory.map((h) => h.closed)).toEqual([true, false]);
    expect(bench.cloud.service.io.changes('22000001', { point: 'output' }).map((c) => [c.n, c.on, c.cause])).toEqual([[2, true, 'command'], [2, false, 'until']]);
  });

  it('a weekly schedule switches C1 at its times, also while the network is down', async () => {
    bench = new IoBench();
    const a = bench.modem('25000001', 'HT G25');
    await bench.start();
    // Virtual time starts Monday 00:00 UTC (03:00 local).
    const monday = bench.clock.now() - 5000;
    bench.cloud.service.io.setSettings('25000001', { enabled: true, schedule: [{ output: 1, days: ['mon', 'tue'], on: '06:00', off: '07:00' }] });
    await bench.clock.runFor(MIN);
    a.setNetwork(false);
    await bench.clock.runUntil(monday + 29 * 3_600_000);
    // Monday's and Tuesday's switching happened with the network down: the records wait in the outbox.
    expect(a.panel.outputs[0]!.relayHistory.map((h) => [h.closed, h.at - monday])).toEqual([
      [true, 3 * 3_600_000],
      [false, 4 * 3_600_000],
      [true, 27 * 3_600_000],
      [false, 28 * 3_600_000],
    ]);
    const waiting = a.outbox!.pending().filter((r) => r.kind === 'io');
    expect(waiting.map((r) => (r.body as { on: boolean }).on)).toEqual([true, false, true, false]);
    a.setNetwork(true);
    await bench.clock.runFor(MIN);
    expect(bench.cloud.service.io.changes('25000001', { point: 'output' }).map((c) => [c.on, c.cause, c.at - monday])).toEqual([
      [true, 'schedule', 3 * 3_600_000],
      [false, 'schedule', 4 * 3_600_000],
      [true, 'schedule', 27 * 3_600_000],
      [false, 'schedule', 28 * 3_600_000],
    ]);
    expect(bench.cloud.service.io.settings('25000001')).toMatchObject({ ioVersion: 1, ackedVersion: 1 });
  });

  it('I/O support off: inputs not reported, commands refused with a reason', async () => {
    bench = new IoBench();
    const a = bench.modem('23000001', 'HT G23');
    await bench.start();
    a.panel.inputs[0]!.set(true);
    await bench.clock.runFor(5000);
    expect(bench.cloud.service.io.changes('23000001')).toEqual([]);
    expect(() => bench!.cloud.service.io.setRelay('23000001', { output: 1, on: true })).toThrow(/I\/O support is off for modem 23000001/);
    // A command that reaches the terminal while its own flag is off is refused there.
    bench.cloud.service.push('23000001', 'command', { op: 'relay-set', output: 1, on: true });
    await bench.clock.runFor(5000);
    expect(a.panel.outputs[0]!.contactClosed).toBe(false);
    expect(bench.cloud.service.events('23000001', { name: 'io-command-refused' })[0]!.details).toMatchObject({ text: 'refused: I/O support is off on this modem' });
  });
});
