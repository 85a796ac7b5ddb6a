/** Migration 5: alarm rules, alarms, notifications. */
import type { Migration } from './migrations.ts';

export const migration5: Migration = {
  version: 5,
  name: 'alarm rules, alarms, notifications',
  sql: `
    CREATE TABLE alarm_rules (
      modem_no    TEXT PRIMARY KEY,
      rules       TEXT NOT NULL,            -- JSON: the modem's rule settings, complete (defaults filled in)
      updated_at  INTEGER NOT NULL
    );
    CREATE TABLE alarms (
      id           INTEGER PRIMARY KEY AUTOINCREMENT,
      modem_no     TEXT NOT NULL,
      rule         TEXT NOT NULL,           -- the alarm kind: 'mains-outage', 'reactive-ratio', …
      subject      TEXT NOT NULL,           -- what it is about: 'mains', 'meter:30012345/inductive', …
      about        TEXT NOT NULL,           -- the subject in words: 'meter 30012345, inductive'
      state        TEXT NOT NULL CHECK (state IN ('open', 'cleared')),
      raised_at    INTEGER NOT NULL,        -- when the condition began (the fact's time)
      raised_text  TEXT NOT NULL,
      details      TEXT,                    -- JSON: value, limit, unit, …
      noted_at     INTEGER NOT NULL,        -- when the cloud raised it
      cleared_at   INTEGER,
      cleared_text TEXT,
      clear_details TEXT,                   -- JSON
      cleared_noted_at INTEGER
    );
    CREATE UNIQUE INDEX alarms_one_open ON alarms (modem_no, rule, subject) WHERE state = 'open';
    CREATE INDEX alarms_by_modem ON alarms (modem_no, raised_at);
    CREATE TABLE alarm_memory (             -- what a rule remembers between observations
      modem_no  TEXT NOT NULL,
      rule      TEXT NOT NULL,
      subject   TEXT NOT NULL,
      last_at   INTEGER NOT NULL,           -- time of the newest observation applied
      data      TEXT NOT NULL,              -- JSON
      PRIMARY KEY (modem_no, rule, subject)
    );
    CREATE TABLE notifications (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      alarm_id    INTEGER NOT NULL,           -- alarms.id
      transition  TEXT NOT NULL CHECK (transition IN ('raised', 'cleared')),
      channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
      recipient   TEXT NOT NULL,            -- e-mail address or E.164 number
      subject     TEXT,
      body        TEXT NOT NULL,
      ref         TEXT NOT NULL UNIQUE,     -- Message-ID (e-mail) or client reference (SMS)
      state       TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
      attempts    INTEGER NOT NULL DEFAULT 0,
      next_at     INTEGER NOT NULL,
      last_error  TEXT,
      created_at  INTEGER NOT NULL,
      sent_at     INTEGER,
      UNIQUE (alarm_id, transition, recipient, channel)
    );
    CREATE INDEX notifications_due ON notifications (state, next_at);
    CREATE TABLE mail_capture (             -- what the embedded SMTP server received
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      message_id  TEXT UNIQUE,
      received_at INTEGER NOT NULL,
      mail_from   TEXT NOT NULL,
      rcpt_to     TEXT NOT NULL,            -- JSON array
      subject     TEXT NOT NULL,
      text        TEXT NOT NULL,
      alarm_id    INTEGER,
      transition  TEXT,
      size        INTEGER NOT NULL
    );
    CREATE TABLE sms_gateway (              -- what the SMS gateway stand-in accepted
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      ref         TEXT NOT NULL UNIQUE,
      to_number   TEXT NOT NULL,
      text        TEXT NOT NULL,
      alarm_id    INTEGER,
      accepted_at INTEGER NOT NULL
    );
  `,
};
