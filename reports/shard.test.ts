import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.ts';
import { mulberry32 } from '../core/random.ts';
import { parseShard, shardPositions, suiteFingerprint } from './shard.ts';

describe('shards', () => {
  it('parses i/n and refuses anything else with the option named', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1/1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/3', '4/3', '1/0', '2', 'a/b', '1/2/3', '-1/2', '1/1001']) {
      expect(() => parseShard(bad)).toThrow(InputError);
    }
    expect(() => parseShard('5/4')).toThrow("--shard: shard index 5 is not between 1 and 4");
  });

  it('deals scenarios sorted by declared duration in snake order, each shard in suite order', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const hours = [1, 168, 24, 0.5, 12, 2, 0.5].map((h) => h * 3_600_000);
    // longest first: b(168) c(24) e(12) f(2) a(1) d(0.5) g(0.5); snake over 3: 1 2 3 3 2 1 1
    expect(shardPositions(names, hours, { index: 1, count: 3 })).toEqual([1, 3, 6]);
    expect(shardPositions(names, hours, { index: 2, count: 3 })).toEqual([0, 2]);
    expect(shardPositions(names, hours, { index: 3, count: 3 })).toEqual([4, 5]);
    expect(shardPositions(names, hours, { index: 1, count: 1 })).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('puts every scenario in exactly one shard, with counts within one, for random suites', () => {
    const rnd = mulberry32(0x5eed);
    for (let run = 0; run < 300; run++) {
      const size = Math.floor(rnd() * 60);
      const names = Array.from({ length: size }, (_, i) => `s${Math.floor(rnd() * 1e6)}-${i}`);
      const weights = names.map(() => Math.floor(rnd() * 5) * 900_000);
      const n = 1 + Math.floor(rnd() * 8);
      const parts = Array.from({ length: n }, (_, i) => shardPositions(names, weights, { index: i + 1, count: n }));
      const all = parts.flat().sort((a, b) => a - b);
      expect(all).toEqual(names.map((_, i) => i));
      const counts = parts.map((p) => p.length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      for (const p of parts) expect([...p].sort((a, b) => a - b)).toEqual(p);
      // the same input gives the same split
      expect(shardPositions(names, weights, { index: 1, count: n })).toEqual(parts[0]);
    }
  });

  it('keeps the longest scenarios on different shards', () => {
    const names = Array.from({ length: 40 }, (_, i) => `scenario ${i}`);
    const weights = names.map((_, i) => (i === 7 ? 7 * 86_400_000 : i === 30 ? 86_400_000 : i === 12 ? 43_200_000 : 1_860_000));
    const s1 = shardPositions(names, weights, { index: 1, count: 3 });
    const s2 = shardPositions(names, weights, { index: 2, count: 3 });
    const s3 = shardPositions(names, weights, { index: 3, count: 3 });
    expect([s1.includes(7), s2.includes(30), s3.includes(12)]).toEqual([true, true, true]);
  });

  it('fingerprints a suite by its names, in any order', () => {
    const f = suiteFingerprint(['b', 'a', 'c']);
    expect(f).toMatch(/^[0-9a-f]{16}$/);
    expect(suiteFingerprint(['c', 'b', 'a'])).toBe(f);
    expect(suiteFingerprint(['a', 'b'])).not.toBe(f);
    expect(suiteFingerprint(['a', 'b', 'c '])).not.toBe(f);
  });
});
