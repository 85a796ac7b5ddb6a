/** Migration 4: accounts, users, sessions, sub-user rights, authorization codes, modem settings. */
import type { Migration } from './migrations.ts';

export const migration4: Migration = {
  version: 4,
  name: 'accounts, users, sessions, sub-user rights, authorization codes, modem settings',
  sql: `
    CREATE TABLE accounts (
      id          INTEGER PRIMARY KEY,
      name        TEXT NOT NULL,
      created_at  INTEGER NOT NULL
    );
    CREATE TABLE users (
      id             INTEGER PRIMARY KEY,
      account_id     INTEGER NOT NULL REFERENCES accounts (id),
      email          TEXT NOT NULL UNIQUE,           -- lower case
      name           TEXT,
      password_hash  TEXT NOT NULL,                  -- argon2id, PHC string
      role           TEXT NOT NULL CHECK (role IN ('owner', 'sub')),
      created_at     INTEGER NOT NULL,
      created_by     INTEGER                         -- the owner who made a sub-user; NULL: support
    );
    CREATE INDEX users_by_account ON users (account_id);
    CREATE TABLE sessions (
      token_hash    TEXT PRIMARY KEY,                -- SHA-256 hex of the cookie's token
      user_id       INTEGER NOT NULL,
      created_at    INTEGER NOT NULL,
      last_used_at  INTEGER NOT NULL,
      expires_at    INTEGER NOT NULL                 -- clock ms
    );
    CREATE INDEX sessions_by_user ON sessions (user_id);
    CREATE TABLE account_modems (
      modem_no    TEXT PRIMARY KEY,
      account_id  INTEGER NOT NULL,
      added_at    INTEGER NOT NULL,
      added_by    INTEGER                          -- user id; NULL: support
    );
    CREATE INDEX account_modems_by_account ON account_modems (account_id);
    CREATE TABLE modem_rights (
      user_id   INTEGER NOT NULL,
      modem_no  TEXT NOT NULL,
      rights    TEXT NOT NULL,                     -- comma list of view, control, settings
      PRIMARY KEY (user_id, modem_no)
    );
    CREATE TABLE modem_auth_codes (
      modem_no   TEXT PRIMARY KEY,
      code_hash  TEXT NOT NULL,                    -- argon2id of the code on the paper
      issued_at  INTEGER NOT NULL,
      used_at    INTEGER,
      used_by    INTEGER                           -- user id
    );
    CREATE TABLE auth_code_attempts (
      id          INTEGER PRIMARY KEY,
      account_id  INTEGER NOT NULL,
      modem_no    TEXT NOT NULL,
      at          INTEGER NOT NULL,
      ok          INTEGER                          -- NULL while checked, 0 wrong, 1 right
    );
    CREATE INDEX auth_code_attempts_by_account ON auth_code_attempts (account_id, at);
    CREATE INDEX auth_code_attempts_by_modem ON auth_code_attempts (modem_no, at);
    CREATE TABLE site_settings (
      modem_no              TEXT PRIMARY KEY,
      location              TEXT,                  -- JSON { name, address?, lat?, lon? } or NULL
      recipients            TEXT NOT NULL DEFAULT '[]',  -- JSON alarm recipients
      send_period_min       INTEGER CHECK (send_period_min BETWEEN 1 AND 240),  -- NULL: never set from the cloud
      period_version        INTEGER NOT NULL DEFAULT 0,
      period_acked_version  INTEGER NOT NULL DEFAULT 0,
      updated_at            INTEGER
    );
  `,
};
