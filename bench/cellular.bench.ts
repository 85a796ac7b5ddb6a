/**
 * A simulated month of an HT G21 (SIM800C, 2G) reading 32 RS-485 meters of mixed brands every
 * 15 minutes: the module's data for the month (payload and IP bytes from its counters) against
 * the SIM's 100 MB allowance, and the wall time of the month against real time. When a first
 * simulated day shows that a month would take more than about three minutes here, the run stops
 * at a week and the byte counts are scaled to 30 days (the output says so). The site's trace
 * and the module's received-command log are emptied after every simulated day.
 */
import { loadMeterProfiles } from '../emulators/meters/profile-loader.ts';
import { buildSite } from '../scenarios/api/site.ts';
import { cloudReadings } from '../scenarios/api/cloud-view.ts';
import { ratio, wallTime, type BenchResult } from './harness.ts';

const DAY = 24 * 3600_000;
const MONTH_DAYS = 30;
const SIM_MB = 100;
const WALL_BUDGET_MS = 180_000;

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

export async function cellularBench(): Promise<BenchResult> {
  const brands = loadMeterProfiles().map((l) => l.profile).filter((p) => p.ports.rs485 > 0);
  const meters = Array.from({ length: 32 }, (_, i) => ({ brand: brands[i % brands.length]!.brand, model: brands[i % brands.length]!.model, serial: String(70000001 + i) }));
  const site = await buildSite({ terminal: { model: 'HT G21', sendPeriodMin: 15 }, rs485: { meters } }, { title: 'bench: a month of a G21 with 32 meters' });
  const modem = site.modem!;
  await site.start();
  // A day at a time; the site's trace and the module's command log are emptied after each day
  // (the bench reads counters, and a month of every line's bytes does not fit in memory).
  const runDay = async () => {
    const { wallMs } = await wallTime(() => site.clock.runFor(DAY));
    site.trace.records.splice(1);
    modem.clearReceived();
    return wallMs;
  };
  let wallMs = await runDay();
  const days = wallMs * MONTH_DAYS <= WALL_BUDGET_MS ? MONTH_DAYS : 7;
  for (let d = 1; d < days; d++) wallMs += await runDay();
  const t = modem.counters.total();
  const billed = modem.counters.billedBytes();
  const scale = MONTH_DAYS / days;
  const readings = cloudReadings(site).filter((r) => !r.missing).length;
  const brandNames = [...new Set(meters.map((m) => m.brand))].join(', ');
  await site.dispose();
  const month = days === MONTH_DAYS ? 'the month' : `a month (${days} days simulated, bytes ×${scale.toFixed(2)})`;
  return {
    name: `cellular: a simulated month of a G21 (SIMCom SIM800C, 2G) with 32 RS-485 meters, 15-minute period`,
    lines: [
      `meters: 32 of ${brandNames}; ${readings} readings at the cloud in ${days} days (${32 * 96 * days} expected)`,
      `uplink payload for ${month}: ${mb(t.payloadSent * scale)} sent, ${mb(t.payloadReceived * scale)} received`,
      `billed IP bytes for ${month}: ${mb(t.ipSent * scale)} up + ${mb(t.ipReceived * scale)} down = ${mb(billed * scale)}, ${((billed * scale) / (SIM_MB * 1e6) * 100).toFixed(1)} % of the SIM's ${SIM_MB} MB`,
      `simulated ${days} days in ${(wallMs / 1000).toFixed(1)} wall s = ${ratio((days * DAY) / wallMs)} real time${days === MONTH_DAYS ? '' : `; a full month would take about ${((wallMs * scale) / 1000).toFixed(0)} s here`}`,
    ],
  };
}
