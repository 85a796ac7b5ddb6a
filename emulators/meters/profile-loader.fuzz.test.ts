import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { DEFAULT_PROFILES_DIR, MeterProfileError, parseMeterProfile, validateMeterProfile } from './profile-loader.ts';
import { mulberry32 } from '../../core/random.ts';


function expectOnlyProfileErrors(n: number, fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    if (!(err instanceof MeterProfileError)) throw new Error(`case ${n} threw ${String(err)}`);
    expect(err.message.startsWith('fuzz.yaml: ')).toBe(true);
    return false;
  }
}

describe('fuzz', () => {
  it('mutated YAML text never throws anything but MeterProfileError', () => {
    // A short profile that uses anchors and aliases, so mutations also hit alias resolution.
    const seedText = readFileSync(join(DEFAULT_PROFILES_DIR, 'landis', 'zmr120ac.yaml'), 'utf8');
    const rnd = mulberry32(0x5eed);
    const alphabet = ' :-[]{}\'"#&*!|>%@`,?\n\t0123456789abcXYZ.\\';
    let accepted = 0;
    for (let n = 0; n < 100; n++) {
      let text = seedText;
      const edits = 1 + Math.floor(rnd() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * text.length);
        const op = rnd();
        const ch = alphabet[Math.floor(rnd() * alphabet.length)]!;
        if (op < 0.4) text = text.slice(0, at) + ch + text.slice(at + 1);
        else if (op < 0.7) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rnd() * 20));
        else text = text.slice(0, at) + ch + text.slice(at);
      }
      if (expectOnlyProfileErrors(n, () => parseMeterProfile(text, 'fuzz.yaml'))) accepted++;
    }
    expect(accepted).toBeGreaterThan(0); // some edits land in comments or keep values valid
    expect(accepted).toBeLessThan(100); // and most break something
  });

  it('an alias without its anchor is a profile error, not a crash', () => {
    expect(() => parseMeterProfile('brand: *nothing\n', 'fuzz.yaml')).toThrow(MeterProfileError);
  });

  it('random values in random fields of shipped profiles never escape as other errors', () => {
    // Small shipped profiles that still carry history, extra groups, a load profile and quirks.
    const seeds = ['landis/zmr120ac.yaml', 'emh/lzqj-xc.yaml', 'elster/as1440.yaml', 'elster/a1500.yaml']
      .map((f) => parseDocument(readFileSync(join(DEFAULT_PROFILES_DIR, f), 'utf8')).toJS() as Record<string, unknown>);
    const rnd = mulberry32(42);
    const junk: unknown[] = [null, undefined, 0, -1, 1.5, 1e9, NaN, 'x', '', '\u0000', true, [], {}, [1, 'a'], { kind: 'date' }, { integer: 99 }, '96.70', 96.7, 'energy.import.t1'];
    let rejected = 0;
    for (let n = 0; n < 1200; n++) {
      const p = structuredClone(seeds[n % seeds.length]!);
      // Walk to a random node and replace it (or one of its fields) with junk.
      let node: any = p;
      for (let depth = 0; depth < 5; depth++) {
        const keys = node !== null && typeof node === 'object' ? Object.keys(node) : [];
        if (keys.length === 0) break;
        const key = keys[Math.floor(rnd() * keys.length)]!;
        const child = node[key];
        if (child === null || typeof child !== 'object' || rnd() < 0.3) {
          node[key] = junk[Math.floor(rnd() * junk.length)];
          break;
        }
        node = child;
      }
      if (!expectOnlyProfileErrors(n, () => validateMeterProfile(p, 'fuzz.yaml'))) rejected++;
    }
    expect(rejected).toBeGreaterThan(600);
  });
});
