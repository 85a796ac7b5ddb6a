/** Modbus readings as the cloud holds them, shaped for expectations. */
import { cloudRecords } from './cloud-view.ts';
import type { Site } from './site.ts';

export interface CloudModbusReading {
  seq: number;
  at: number;
  address: number;
  type: string;
  values: Map<string, number>;
  missing?: { reason: string; code?: number; text: string };
}

export function cloudModbus(site: Site, address?: number): CloudModbusReading[] {
  const out: CloudModbusReading[] = [];
  for (const r of cloudRecords(site, 'modbus-reading')) {
    const b = r.body as { address: number; type: string; values?: { name: string; value: number }[]; missing?: CloudModbusReading['missing'] };
    if (address !== undefined && b.address !== address) continue;
    out.push({ seq: r.seq, at: r.at, address: b.address, type: b.type, values: new Map((b.values ?? []).map((v) => [v.name, v.value])), ...(b.missing ? { missing: b.missing } : {}) });
  }
  return out;
}

/** Steps a relay reading shows switched in (its step mask, or its per-step states). */
export function stepsIn(r: CloudModbusReading): number {
  const mask = r.values.get('relay.steps.mask');
  if (mask !== undefined) {
    let n = 0;
    for (let m = mask >>> 0; m; m &= m - 1) n++;
    return n;
  }
  let n = 0;
  for (const [name, v] of r.values) if (/^relay\.step\.\d+\.state$/.test(name) && v) n++;
  return n;
}
