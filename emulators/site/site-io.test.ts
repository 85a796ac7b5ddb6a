import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { DryContact } from './dry-contact.ts';
import { SiteLoad } from './load.ts';
import { MainsSupply } from './mains.ts';
import { RelayDrivenLoad } from './relay-load.ts';
import { TankPlant } from './tank.ts';

const H = 3_600_000;

describe('site I/O emulators', () => {
  it('mains: a scheduled outage switches the supply and the load off and back', async () => {
    const clock = new VirtualClock();
    const load = new SiteLoad({ baseKw: 5, peakKw: 10, powerFactor: 0.9 });
    const mains = new MainsSupply(clock, load);
    const t0 = clock.now();
    mains.scheduleOutage(t0 + 60_000, t0 + 180_000);
    await clock.runFor(120_000);
    expect(mains.present).toBe(false);
    expect(load.at(clock.now()).v.l1).toBe(0);
    await clock.runFor(120_000);
    expect(mains.history).toEqual([{ present: false, at: t0 + 60_000 }, { present: true, at: t0 + 180_000 }]);
    expect(() => mains.scheduleOutage(t0, t0 + 1)).toThrow(/need now/);
  });

  it('a contact bounce makes its edges and ends in the final state', async () => {
    const clock = new VirtualClock();
    const c = new DryContact(clock, 'IN1');
    c.bounce(true, { bounces: 2, periodMs: 3 });
    await clock.runFor(100);
    expect(c.closed).toBe(true);
    expect(c.edges.map((e) => [e.closed, e.at - c.edges[0]!.at])).toEqual([[true, 0], [false, 3], [true, 6], [false, 9], [true, 12]]);
  });

  it('a relay-driven load runs only with its contact closed and mains present, and counts energy', async () => {
    const clock = new VirtualClock();
    const mains = new MainsSupply(clock);
    const pump = new RelayDrivenLoad(clock, 'pump', 2, mains);
    pump.setContact(true);
    await clock.runFor(H);
    mains.cut();
    await clock.runFor(H);
    expect(pump.running).toBe(false);
    expect(pump.wh).toBeCloseTo(2000, 6);
  });

  it('tank: the float closes at the low mark and opens at the high mark, exactly on time', async () => {
    const clock = new VirtualClock();
    const pump = new RelayDrivenLoad(clock, 'pump', 4);
    const tank = new TankPlant(clock, pump, { capacityM3: 20, levelM3: 12, consumptionM3h: 2, pumpM3h: 6, lowM3: 5, highM3: 15 });
    const t0 = clock.now();
    tank.float.onEdge((e) => pump.setContact(e.closed)); // a local float switch wired to the pump
    await clock.runFor(20 * H);
    expect(tank.float.edges.map((e) => [e.closed, e.at - t0])).toEqual([[true, 3.5 * H], [false, 6 * H], [true, 11 * H], [false, 13.5 * H], [true, 18.5 * H]]);
    expect(tank.min).toBeCloseTo(5, 6);
    expect(tank.max).toBeCloseTo(15, 6);
    expect(tank.overflowMs).toBe(0);
    expect(() => new TankPlant(clock, pump, { capacityM3: 20, levelM3: 12, consumptionM3h: 2, pumpM3h: 6, lowM3: 15, highM3: 5 })).toThrow(/low < high/);
  });

  it('tank: a pump that starts late finds the level fallen at the old rate, and a tank left alone runs dry', async () => {
    const clock = new VirtualClock();
    const pump = new RelayDrivenLoad(clock, 'pump', 4);
    const tank = new TankPlant(clock, pump, { capacityM3: 20, levelM3: 12, consumptionM3h: 2, pumpM3h: 6, lowM3: 5, highM3: 15 });
    await clock.runFor(3.5 * H + 2 * H); // low mark at 3.5 h, then 2 h more at −2 m³/h
    expect(tank.levelM3).toBeCloseTo(1, 6);
    pump.setContact(true);
    expect(tank.min).toBeCloseTo(1, 6);
    await clock.runFor(1 * H); // +4 m³/h
    expect(tank.levelM3).toBeCloseTo(5, 6);
    pump.setContact(false);
    await clock.runFor(4 * H); // dry after 2.5 h
    expect(tank.levelM3).toBe(0);
    expect(tank.dryMs).toBeCloseTo(1.5 * H, 0);
  });
});
