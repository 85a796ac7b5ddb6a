/**
 * What arrived at the cloud, read through the cloud's own service layer (the code path of its
 * HTTP API), shaped for expectations.
 */
import type { Evidence, Series } from './results.ts';
import type { Site } from './site.ts';

const PAGE = 1000;

export interface CloudReading {
  seq: number;
  at: number;
  port: string;
  meterSerial: string;
  flag?: string;
  values?: { address: string; value: string; unit?: string }[];
  missing?: { reason: string; text: string };
}

/** Every record of a kind the cloud stored for the site's terminal, in seq order (paged by seq, as an API client would). */
export function cloudRecords(site: Site, kind: string): { seq: number; at: number; body: unknown }[] {
  const out: { seq: number; at: number; body: unknown }[] = [];
  for (let after = 0; ; ) {
    const page = site.cloud.service.records(site.config.modemNo, { kind, afterSeq: after, limit: PAGE });
    out.push(...page);
    if (page.length < PAGE) return out;
    after = page[page.length - 1]!.seq;
  }
}

/** Every meter-reading record the cloud stored for the site's terminal, in seq order. */
export function cloudReadings(site: Site, serial?: string): CloudReading[] {
  return cloudRecords(site, 'meter-reading')
    .map((r) => ({ seq: r.seq, at: r.at, ...(r.body as Omit<CloudReading, 'seq' | 'at'>) }))
    .filter((r) => serial === undefined || r.meterSerial === serial);
}

/** Meter readings grouped by meter serial, each in seq order: one query for a whole site. */
export function cloudReadingsBySerial(site: Site): Map<string, CloudReading[]> {
  const out = new Map<string, CloudReading[]>();
  for (const r of cloudReadings(site)) {
    const list = out.get(r.meterSerial);
    if (list) list.push(r);
    else out.set(r.meterSerial, [r]);
  }
  return out;
}

/** Events the terminal reported, by name. */
export function cloudEvents(site: Site, name?: string): { at: number; name: string; details: unknown }[] {
  return site.cloud.service.events(site.config.modemNo, name ? { name } : {}).map((e) => ({ at: e.at, name: e.name, details: e.details }));
}

export function valueOf(r: CloudReading, address: string): string | undefined {
  return r.values?.find((v) => v.address === address)?.value;
}

/** Evidence for a failing reading: the line it came from and the time. */
export function readingEvidence(r: CloudReading, detail?: string): Evidence {
  return { line: r.port, time: r.at, detail: detail ?? (r.missing ? `${r.missing.reason}: ${r.missing.text}` : `seq ${r.seq}`) };
}

/** Decimal text of a register (`012345.678`) as an exact count of thousandths. */
export function milli(text: string): bigint {
  const [i = '0', f = ''] = text.trim().split('.');
  return BigInt(i) * 1000n + BigInt((f + '000').slice(0, 3));
}

/** Each meter's active import register over time as the cloud holds it (for plots). */
export function energySeries(site: Site, maxPoints = 1000): Series[] {
  const out: Series[] = [];
  for (const [serial, rows] of cloudReadingsBySerial(site)) {
    const points: [number, number][] = [];
    for (const r of rows) {
      const v = valueOf(r, '1.8.0');
      if (v !== undefined && Number.isFinite(Number(v))) points.push([r.at, Number(v)]);
    }
    if (points.length < 2) continue;
    const step = Math.max(1, Math.ceil(points.length / maxPoints));
    out.push({ name: `meter ${serial} 1.8.0 (active import)`, unit: 'kWh', points: points.filter((_, i) => i % step === 0 || i === points.length - 1) });
  }
  return out;
}
