/**
 * For this folder's tests: a store with a modem, the alarms on a virtual clock, and a writer
 * that stores numbered records and hands each to the alarms, as the uplink listener does.
 */
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { validateRecordBody, type ModbusReadingBody, type ReadingValue } from '../../protocols/uplink/records.ts';
import type { FakeCloud } from '../fake-cloud.ts';
import { Notifier } from '../notify/notifier.ts';
import { MemoryRecipients } from '../notify/recipients.ts';
import { Store } from '../store/store.ts';
import { Alarms, type AlarmTransition } from './alarms.ts';

export const logger = rootLogger().child({}, { level: 'silent' });
export const T0 = Date.UTC(2026, 0, 5);
export const MODEM = '24000001';

export class AlarmBench {
  readonly clock: VirtualClock;
  readonly store: Store;
  readonly recipients = new MemoryRecipients();
  readonly notifier: Notifier;
  readonly alarms: Alarms;
  seq: number;

  constructor(o: { db?: string; clock?: VirtualClock; modemNo?: string; sendPeriodMin?: (modemNo: string) => number | null } = {}) {
    this.clock = o.clock ?? new VirtualClock();
    this.store = new Store(o.db ?? ':memory:');
    this.store.provisionModem({ modemNo: o.modemNo ?? MODEM, secret: 'secret-24000001', model: 'HT G24' }, this.clock.now());
    this.seq = this.store.modem(o.modemNo ?? MODEM)!.upTo;
    this.notifier = new Notifier({ store: this.store, clock: this.clock, recipients: this.recipients, logger });
    this.alarms = new Alarms({ store: this.store, clock: this.clock, notifier: this.notifier, logger, sendPeriodMin: o.sendPeriodMin });
    this.alarms.start();
  }

  /** Stores a record (as received now; kept raw with its error when it fails validation) and judges it. */
  record(kind: string, at: number, body: unknown, modemNo = MODEM): AlarmTransition[] {
    const seq = ++this.seq;
    const record = { seq, at, kind, body };
    const check = validateRecordBody(kind, body);
    this.store.storeRecord({ modemNo, record: check.ok ? { ...record, body: check.body } : record, receivedAt: Math.round(this.clock.now()), upTo: seq, error: check.ok ? undefined : check.error.message });
    return this.alarms.handleRecord(modemNo, record);
  }

  event(at: number, name: string, details?: Record<string, unknown>): AlarmTransition[] {
    return this.record('event', at, details ? { name, details } : { name });
  }

  meter(at: number, serial: string, values: ReadingValue[] | { reason: string; text: string }): AlarmTransition[] {
    const body = Array.isArray(values)
      ? { port: 'rs485', meterSerial: serial, readStart: at - 2000, readEnd: at, values }
      : { port: 'rs485', meterSerial: serial, readStart: at - 2000, readEnd: at, missing: values };
    return this.record('meter-reading', at, body);
  }

  modbus(at: number, body: Omit<ModbusReadingBody, 'readStart' | 'readEnd' | 'port'> & { port?: 'rs485' | 'rs232' }): AlarmTransition[] {
    return this.record('modbus-reading', at, { port: 'rs485', ...body, readStart: at - 500, readEnd: at });
  }

  /** Transitions as `rule subject transition` lines. */
  lines(ts: AlarmTransition[]): string[] {
    return ts.map((t) => `${t.alarm.rule} ${t.alarm.subject} ${t.transition}`);
  }

  async close(): Promise<void> {
    await this.alarms.stop();
    this.store.close();
  }
}

/**
 * A fake cloud's alarms and notifier: its own when the cloud wires them, else wired here as the
 * cloud wires them (recipients, location and send period from the modem's site settings).
 * `stop()` stops what was wired here.
 */
export function cloudAlarms(cloud: FakeCloud, clock: VirtualClock): { alarms: Alarms; notifier: Notifier; stop(): Promise<void> } {
  const own = cloud as unknown as { alarms?: unknown; notifier?: unknown };
  if (own.alarms instanceof Alarms && own.notifier instanceof Notifier) return { alarms: own.alarms, notifier: own.notifier, stop: async () => {} };
  const site = cloud.service.site;
  const notifier = new Notifier({ store: cloud.store, clock, recipients: site, location: (no) => site.view(no).location?.name, logger });
  const alarms = new Alarms({ store: cloud.store, clock, uplink: cloud.uplink, notifier, sendPeriodMin: (no) => site.view(no).sendPeriodMin, logger });
  alarms.start();
  return { alarms, notifier, stop: () => alarms.stop() };
}
