/** Shared by the uplink tests of the terminal: temp directories and typical records. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootLogger } from '../../core/log.ts';
import type { RecordInput } from '../../protocols/uplink/records.ts';

/** A fresh temp directory and its removal. */
export async function tempDir(prefix = 'ht-outbox-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A meter reading record of meter `serial` with one value. */
export function reading(at: number, serial = '30012345', value = '000123.456'): RecordInput {
  return {
    at,
    kind: 'meter-reading',
    body: { port: 'rs485', meterSerial: serial, flag: 'MSY', identification: 'MSY5<2>M550', readStart: at - 1500, readEnd: at, values: [{ address: '1.8.0', value, unit: 'kWh' }] },
  };
}

/** An event record. */
export function event(at: number, name: string, details?: Record<string, unknown>): RecordInput {
  return { at, kind: 'event', body: details ? { name, details } : { name } };
}

/** A logger that drops everything, for tests that provoke errors on purpose. */
export const quietLogger = rootLogger().child({ component: 'test' }, { level: 'silent' });
