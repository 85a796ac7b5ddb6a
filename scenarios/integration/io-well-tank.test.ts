/**
 * The well–tank automation: the tank's float switch on modem A (IN1, closes when the level is
 * low) drives the well pump on modem B (C1) through the cloud's automation rule.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RelayDrivenLoad } from '../../emulators/site/relay-load.ts';
import { TankPlant } from '../../emulators/site/tank.ts';
import { IoBench } from './io-rig.ts';

let bench: IoBench | undefined;
afterEach(async () => {
  await bench?.dispose();
  bench = undefined;
});

describe('well–tank automation', () => {
  it('the float on modem A starts the pump on modem B; the tank fills and the pump stops at the high mark', async () => {
    bench = new IoBench();
    const pump = new RelayDrivenLoad(bench.clock, 'well pump', 5.5);
    const tank = new TankPlant(bench.clock, pump, { capacityM3: 50, levelM3: 30, consumptionM3h: 6, pumpM3h: 18, lowM3: 10, highM3: 40 });
    const tankStart = bench.clock.now();
    bench.modem('21000010', 'HT G21', { inputs: [tank.float] });
    const b = bench.modem('25000020', 'HT G25', { outputs: [pump] });
    await bench.start();
    const io = bench.cloud.service.io;
    io.setSettings('21000010', { enabled: true });
    io.setSettings('25000020', { enabled: true });
    io.addRule({ from: { modemNo: '21000010', input: 1 }, to: { modemNo: '25000020', output: 1 } });
    const t0 = bench.clock.now();
    // 20 m³ at 6 m³/h: low mark after 3 h 20 min; then 30 m³ at +12 m³/h: high mark 2 h 30 min later.
    await bench.clock.runFor(8 * 3_600_000);
    const lowAt = tankStart + (20 / 6) * 3_600_000;
    const highAt = lowAt + (30 / 12) * 3_600_000;
    const history = pump.relayHistory.map((h) => [h.closed, h.at]);
    expect(history.map((h) => h[0])).toEqual([true, false]);
    // The pump follows the float within the path's delay (terminal A → cloud → terminal B).
    expect(history[0]![1] as number).toBeGreaterThan(lowAt);
    expect(history[0]![1] as number).toBeLessThan(lowAt + 5000);
    expect(history[1]![1] as number).toBeGreaterThan(highAt);
    expect(history[1]![1] as number).toBeLessThan(highAt + 5000);
    expect(tank.min).toBeGreaterThan(9.9);
    expect(tank.max).toBeGreaterThanOrEqual(40);
    expect(tank.max).toBeLessThan(40.1);
    // At 8 h: 40 m³ less 6 m³/h since the pump stopped.
    expect(tank.levelM3).toBeCloseTo(40 - (6 * (t0 + 8 * 3_600_000 - (history[1]![1] as number))) / 3_600_000, 2);
    expect(io.changes('25000020', { point: 'output' }).map((c) => [c.on, c.cause])).toEqual([[true, 'automation'], [false, 'automation']]);
    expect(io.changes('21000010', { point: 'input', n: 1 }).map((c) => c.on)).toEqual([false, true, false]);
  });
});
