/**
 * The store's schema, as numbered migrations. `schema_version` lists the ones applied; opening a
 * database applies the missing ones in order, each in its own transaction. Never edit a
 * migration that has shipped: add the next number.
 */
import type { Database } from 'better-sqlite3';
import { HtHilError } from '../../core/errors.ts';
import { migration4 } from './migration-4-accounts.ts';
import { migration5 } from './migration-5-alarms.ts';
import { migration6 } from './migration-6-reports.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'modems, records, readings, events, pushes',
    sql: `
      CREATE TABLE modems (
        modem_no        TEXT PRIMARY KEY,
        secret          TEXT NOT NULL,
        model           TEXT,               -- as provisioned
        reported_model  TEXT,               -- from the last HELLO
        firmware        TEXT,
        config_version  INTEGER NOT NULL DEFAULT 0,
        up_to           INTEGER NOT NULL DEFAULT 0,  -- highest seq held contiguously
        provisioned_at  INTEGER NOT NULL,
        last_seen_at    INTEGER
      );
      CREATE TABLE records (
        id           INTEGER PRIMARY KEY,
        modem_no     TEXT NOT NULL,
        seq          INTEGER NOT NULL,
        kind         TEXT NOT NULL,
        at           INTEGER NOT NULL,
        received_at  INTEGER NOT NULL,
        body         TEXT NOT NULL,         -- JSON, readable field names
        error        TEXT,                  -- why the body failed validation, if it did
        UNIQUE (modem_no, seq)
      );
      CREATE INDEX records_by_time ON records (modem_no, at);
      CREATE TABLE readings (
        id            INTEGER PRIMARY KEY,
        modem_no      TEXT NOT NULL,
        seq           INTEGER NOT NULL,
        meter_serial  TEXT NOT NULL,
        port          TEXT NOT NULL,
        address       TEXT NOT NULL,
        value         TEXT NOT NULL,        -- exactly as the meter sent it
        unit          TEXT,
        at            INTEGER NOT NULL
      );
      CREATE INDEX readings_by_meter ON readings (modem_no, meter_serial, address, at);
      CREATE INDEX readings_by_time ON readings (modem_no, at);
      CREATE TABLE events (
        id        INTEGER PRIMARY KEY,
        modem_no  TEXT NOT NULL,
        seq       INTEGER,                  -- NULL for events the cloud raised itself
        source    TEXT NOT NULL CHECK (source IN ('terminal', 'cloud')),
        name      TEXT NOT NULL,
        at        INTEGER NOT NULL,
        details   TEXT                      -- JSON
      );
      CREATE INDEX events_by_time ON events (modem_no, at);
      CREATE TABLE pushes (
        n            INTEGER PRIMARY KEY AUTOINCREMENT,
        modem_no     TEXT NOT NULL,
        kind         TEXT NOT NULL CHECK (kind IN ('config', 'command')),
        body         TEXT NOT NULL,         -- JSON
        created_at   INTEGER NOT NULL,
        sent_count   INTEGER NOT NULL DEFAULT 0,
        acked_at     INTEGER,
        ok           INTEGER,
        result_text  TEXT
      );
      CREATE INDEX pushes_open ON pushes (modem_no, acked_at);
    `,
  },
  {
    version: 2,
    name: 'modbus device settings, acknowledged config version',
    sql: `
      ALTER TABLE modems ADD COLUMN config_acked_version INTEGER NOT NULL DEFAULT 0;  -- highest config version the modem applied
      ALTER TABLE modems ADD COLUMN modbus_updated_at INTEGER;                           -- last change of its Modbus device list
      CREATE TABLE modbus_devices (
        modem_no  TEXT NOT NULL,
        position  INTEGER NOT NULL,         -- order on the settings page, from 0
        address   INTEGER NOT NULL CHECK (address BETWEEN 1 AND 247),
        type      TEXT NOT NULL,
        model     TEXT,
        port      TEXT NOT NULL CHECK (port IN ('rs485', 'rs232')),
        PRIMARY KEY (modem_no, position),
        UNIQUE (modem_no, port, address)
      );
    `,
  },
  {
    version: 3,
    name: 'site I/O: settings and schedule, automation rules, input and relay changes',
    sql: `
      CREATE TABLE io_settings (
        modem_no       TEXT PRIMARY KEY,
        enabled        INTEGER NOT NULL DEFAULT 0,
        schedule       TEXT NOT NULL DEFAULT '[]',   -- JSON, weekly relay schedule
        utc_offset_min INTEGER NOT NULL DEFAULT 180,
        io_version     INTEGER NOT NULL DEFAULT 0,   -- bumped by every change
        acked_version  INTEGER NOT NULL DEFAULT 0,   -- highest version the modem applied
        updated_at     INTEGER
      );
      CREATE TABLE io_rules (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        src_modem   TEXT NOT NULL,
        src_input   INTEGER NOT NULL CHECK (src_input BETWEEN 1 AND 8),
        dst_modem   TEXT NOT NULL,
        dst_output  INTEGER NOT NULL CHECK (dst_output BETWEEN 1 AND 8),
        invert      INTEGER NOT NULL DEFAULT 0,
        last_at     INTEGER,                         -- time of the input change last applied
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE io_changes (
        id        INTEGER PRIMARY KEY,
        modem_no  TEXT NOT NULL,
        seq       INTEGER NOT NULL,
        point     TEXT NOT NULL CHECK (point IN ('input', 'output')),
        n         INTEGER NOT NULL,
        on_state  INTEGER NOT NULL,
        cause     TEXT,
        at        INTEGER NOT NULL,
        UNIQUE (modem_no, seq)
      );
      CREATE INDEX io_changes_by_time ON io_changes (modem_no, at);
    `,
  },
  migration4,
  migration5,
  migration6,
];

/** Applies the missing migrations; returns the schema version reached. */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new HtHilError('E_SCHEMA', `database schema version ${current} is newer than this fake cloud knows (${latest})`);
  }
  const insert = db.prepare('INSERT INTO schema_version (version, name) VALUES (?, ?)');
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      insert.run(m.version, m.name);
    })();
  }
  return Math.max(current, latest);
}
