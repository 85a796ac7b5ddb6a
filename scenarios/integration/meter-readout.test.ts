import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { IEC_OPENING } from '../../lines/settings.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { loadMeterProfiles } from '../../emulators/meters/profile-loader.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import { readModeC } from '../../terminal/meter-reader/mode-c.ts';

const profiles = loadMeterProfiles().map((l) => l.profile);

describe('terminal reads every emulated brand (mode C readout)', () => {
  for (const p of profiles) {
    const port = p.ports.optical ? 'optical' : 'rs232';
    it(`${p.brand} ${p.model} over ${port}`, async () => {
      const clock = new VirtualClock();
      const wire = new VirtualWire(clock, port, { id: `${port}/terminal`, settings: IEC_OPENING }, { id: `${port}/meter`, settings: IEC_OPENING });
      const load = new SiteLoad({ baseKw: 5, peakKw: 40, powerFactor: 0.92 });
      const meter = new EmulatedMeter({ clock, endpoint: wire.b, profile: p, serial: p.serialNumber.example, port, load, initialKwh: 12345.678 });
      await clock.runFor(3 * 3600_000);
      const before = meter.value('energy.import.total') as number;
      const out = await clock.run(readModeC(wire.a, clock, { address: '' }));
      const after = meter.value('energy.import.total') as number;
      if (!out.ok) throw new Error(out.detail);
      expect(out.identification.flag).toBe(p.flag);
      expect(out.identification.baud).toBe(Math.min(p.maxBaud, 9600));
      const line = p.readout.find((l) => l.quantity === 'energy.import.total' && !l.obis.includes('*'));
      if (line) {
        const got = out.sets.find((s) => s.address === line.obis);
        const value = Number(got?.values[0]?.value);
        // the register is read during the exchange: between its values before and after it
        expect(value).toBeGreaterThanOrEqual(Math.floor(before * 1000) / 1000);
        expect(value).toBeLessThanOrEqual(Math.ceil(after * 1000) / 1000);
        expect(value).toBeGreaterThan(12345.678);
      }
      expect(wire.a.settings.baudRate).toBe(300);
      expect(meter.engine).toBeDefined();
    });
  }
});

describe('RS-485 addressing', () => {
  it('each meter on a bus answers only its own serial; Landis needs it', async () => {
    const clock = new VirtualClock();
    const bus = new Rs485Bus(clock, 'rs485');
    const terminal = bus.attach('terminal', { settings: IEC_OPENING });
    const load = new SiteLoad({ baseKw: 5, peakKw: 40, powerFactor: 0.92 });
    const landis = profiles.find((p) => p.flag === 'LGZ' && p.ports.rs485 > 0)!;
    const makel = profiles.find((p) => p.flag === 'MSY')!;
    const m1 = new EmulatedMeter({ clock, endpoint: bus.attach('m1', { settings: IEC_OPENING }), profile: landis, serial: landis.serialNumber.example, port: 'rs485', load });
    const m2 = new EmulatedMeter({ clock, endpoint: bus.attach('m2', { settings: IEC_OPENING }), profile: makel, serial: makel.serialNumber.example, port: 'rs485', load });
    const a = await clock.run(readModeC(terminal, clock, { address: m1.engine.address }));
    expect(a.ok && a.identification.flag).toBe('LGZ');
    const b = await clock.run(readModeC(terminal, clock, { address: m2.engine.address }));
    expect(b.ok && b.identification.flag).toBe('MSY');
    m2.dispose();
    const none = await clock.run(readModeC(terminal, clock, { address: '' }));
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toBe('no-answer');
  });
});
