/**
 * A virtual day of a 32-meter RS-485 site read every 15 minutes: wall time, and how long each
 * sweep of the bus takes against the line's physical minimum for the same bytes (every byte of
 * the sweep at its own baud rate and framing, back to back).
 */
import { charTimeMs, parseSettings } from '../lines/settings.ts';
import { loadMeterProfiles } from '../emulators/meters/profile-loader.ts';
import { buildSite } from '../scenarios/api/site.ts';
import { cloudReadings } from '../scenarios/api/cloud-view.ts';
import { ratio, wallTime, type BenchResult } from './harness.ts';

export async function metersBench(): Promise<BenchResult> {
  const brands = loadMeterProfiles().map((l) => l.profile).filter((p) => p.ports.rs485 > 0);
  const meters = Array.from({ length: 32 }, (_, i) => ({ brand: brands[i % brands.length]!.brand, model: brands[i % brands.length]!.model, serial: String(70000001 + i) }));
  const site = await buildSite({ terminal: { model: 'HT E21', sendPeriodMin: 15 }, rs485: { meters } }, { title: 'bench: a day of 32 meters' });
  const day = 24 * 3600_000;
  const { wallMs } = await wallTime(async () => {
    await site.start();
    await site.clock.runFor(day + 10 * 60_000);
  });
  const readings = cloudReadings(site);
  const ok = readings.filter((r) => !r.missing).length;
  // Sweeps: bytes on the rs485 line from each period start until the last meter answered.
  const period = 15 * 60_000;
  const sweeps = new Map<number, { first: number; last: number; busy: number; bytes: number }>();
  for (const r of site.trace.records) {
    if (r.kind !== 'tx' || r.line !== 'rs485') continue;
    const k = Math.floor(r.t / period);
    const sw = sweeps.get(k) ?? { first: r.t, last: r.end, busy: 0, bytes: 0 };
    const n = r.hex.length / 2;
    sw.first = Math.min(sw.first, r.t);
    sw.last = Math.max(sw.last, r.end);
    sw.busy += n * charTimeMs(parseSettings(r.settings));
    sw.bytes += n;
    sweeps.set(k, sw);
  }
  const list = [...sweeps.values()];
  const avgSweep = list.reduce((a, s) => a + (s.last - s.first), 0) / list.length;
  const avgBusy = list.reduce((a, s) => a + s.busy, 0) / list.length;
  const avgBytes = list.reduce((a, s) => a + s.bytes, 0) / list.length;
  await site.dispose();
  return {
    name: 'meters: a virtual day of a 32-meter RS-485 site, 15-minute period',
    lines: [
      `simulated 24 h in ${(wallMs / 1000).toFixed(2)} wall s = ${ratio(day / wallMs)} real time; ${ok} of ${32 * 96} readings at the cloud`,
      `bus sweep of 32 meters: ${(avgSweep / 1000).toFixed(1)} s on average; the line's physical minimum for its ${Math.round(avgBytes)} bytes is ${(avgBusy / 1000).toFixed(2)} s; ratio ${ratio(avgSweep / avgBusy)}`,
      `the rest is protocol waiting: meter reaction times (200–1500 ms per answer), the terminal's pause before the option select, and the baud switch`,
    ],
  };
}
