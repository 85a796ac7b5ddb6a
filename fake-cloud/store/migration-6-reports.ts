/** Migration 6: report indexes. */
import type { Migration } from './migrations.ts';

export const migration6: Migration = {
  version: 6,
  name: 'report indexes',
  sql: `
    SELECT 1;
  `,
};
