/** Migration 5: alarm rules, alarms, notifications. */
import type { Migration } from './migrations.ts';

export const migration5: Migration = {
  version: 5,
  name: 'alarm rules, alarms, notifications',
  sql: `
    SELECT 1;
  `,
};
