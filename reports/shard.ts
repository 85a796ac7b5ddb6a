/**
 * Splitting a suite into shards for a CI matrix (`ht-hil run --shard 2/4`), and the suite
 * fingerprint a merge checks.
 *
 * The split is a sorted deal, balanced by declared duration: scenarios are sorted by `runFor`
 * (longest first, then by name) and dealt to shards in snake order (1..n, n..1, 1..n, …), so
 * the long scenarios land on different machines and every shard gets the same count ±1. Each
 * shard then runs its scenarios in suite order.
 *
 * Why not a stable hash of the scenario name: a hash keeps a scenario on its shard when others
 * are added, but leaves the balance to chance (the week and the day-long scenarios can land on
 * one machine and double its time). Every machine of one CI matrix runs the same commit, so
 * stability across commits buys nothing; the suite fingerprint below makes a merge of shards cut
 * from different suites fail loudly instead.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../core/errors.ts';

/** Shard `index` of `count`, 1-based. */
export interface Shard {
  index: number;
  count: number;
}

/** Parses `i/n` (1 ≤ i ≤ n ≤ 1000); an error names the option and what was expected. */
export function parseShard(text: string, where = '--shard'): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new InputError(where, `'${text}' is not i/n (e.g. 2/4)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 1000) throw new InputError(where, `shard count ${count} is not between 1 and 1000`);
  if (index < 1 || index > count) throw new InputError(where, `shard index ${index} is not between 1 and ${count}`);
  return { index, count };
}

/** A fingerprint of a suite: the first 16 hex digits of SHA-256 over its sorted scenario names. */
export function suiteFingerprint(names: readonly string[]): string {
  return createHash('sha256').update([...names].sort().join('\n')).digest('hex').slice(0, 16);
}

/**
 * Suite positions (ascending) that shard `shard` runs. `weights[i]` is scenario i's declared
 * duration (ms); `names[i]` breaks ties. Every position belongs to exactly one shard.
 */
export function shardPositions(names: readonly string[], weights: readonly number[], shard: Shard): number[] {
  const order = names.map((_, i) => i).sort((a, b) => (weights[b] ?? 0) - (weights[a] ?? 0) || (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : a - b));
  const out: number[] = [];
  order.forEach((pos, j) => {
    const round = Math.floor(j / shard.count);
    const slot = j % shard.count;
    const to = round % 2 === 0 ? slot : shard.count - 1 - slot;
    if (to === shard.index - 1) out.push(pos);
  });
  return out.sort((a, b) => a - b);
}
