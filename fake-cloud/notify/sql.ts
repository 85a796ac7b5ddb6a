/**
 * Prepared statements, made once per database and SQL text (preparing costs far more than
 * running a statement; the alarm rules run several per record).
 */
import type { Database, Statement } from 'better-sqlite3';

const cache = new WeakMap<Database, Map<string, Statement<unknown[]>>>();

export function sql(db: Database, text: string): Statement<unknown[]> {
  let byText = cache.get(db);
  if (!byText) cache.set(db, (byText = new Map()));
  let st = byText.get(text);
  if (!st) byText.set(text, (st = db.prepare(text)));
  return st;
}
