/**
 * Migration 6: report indexes. Reports read Modbus records by kind and time (instantaneous
 * values, capacitor steps, communication state) and outage events by name; the register
 * differences use `readings_by_meter` of migration 1.
 */
import type { Migration } from './migrations.ts';

export const migration6: Migration = {
  version: 6,
  name: 'report indexes',
  sql: `
    CREATE INDEX records_by_kind ON records (modem_no, kind, at);
    CREATE INDEX events_by_name ON events (modem_no, name, at);
  `,
};
