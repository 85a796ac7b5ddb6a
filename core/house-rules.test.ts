/**
 * The rules of DESIGN.md that a reading of the sources can check: time only through
 * core/clock, and the rooms that may meet only on a line or a connection.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const skip = new Set(['node_modules', '.git', 'reports', '.ci']);

function sources(dir = root): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (skip.has(name) || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sources(p));
    else if (/\.(ts|js|mjs)$/.test(name)) out.push(relative(root, p).split(sep).join('/'));
  }
  return out;
}

const code = sources().filter((f) => !f.endsWith('.test.ts') && !f.startsWith('bench/') && !f.startsWith('core/clock/') && f !== 'vitest.config.ts');

describe('house rules', () => {
  it('nothing outside core/clock reads wall time or sets timers', () => {
    const wall = /Date\.now\(|new Date\(\)|performance\.now\(|(^|[^.\w])setTimeout\(|setInterval\(|(^|[^.\w])setImmediate\(/;
    const offenders = code.filter((f) => readFileSync(join(root, f), 'utf8').split('\n').some((l) => wall.test(l) && !l.trim().startsWith('//') && !l.trim().startsWith('*')));
    expect(offenders).toEqual([]);
  });

  it('terminal/ never imports emulators/ or fake-cloud/, and they never import it', () => {
    const imports = (f: string) => [...readFileSync(join(root, f), 'utf8').matchAll(/from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    const bad: string[] = [];
    for (const f of sources().filter((x) => /^(terminal|emulators|fake-cloud)\//.test(x))) {
      const room = f.split('/')[0]!;
      for (const i of imports(f)) {
        if (!i.startsWith('.')) continue;
        const target = relative(root, join(root, f, '..', i)).split(sep)[0]!;
        if (room === 'terminal' && (target === 'emulators' || target === 'fake-cloud')) bad.push(`${f} → ${i}`);
        if ((room === 'emulators' || room === 'fake-cloud') && target === 'terminal') bad.push(`${f} → ${i}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('imports only go downwards through the rooms of DESIGN.md', () => {
    // core ← lines, protocols ← emulators, terminal, fake-cloud ← hil-rig, scenarios ← reports ← bin, bench
    const rank: Record<string, number> = { core: 0, lines: 1, protocols: 1, emulators: 2, terminal: 2, 'fake-cloud': 2, 'hil-rig': 3, scenarios: 3, reports: 4, bin: 5, bench: 5, scripts: 5 };
    const bad: string[] = [];
    for (const f of sources()) {
      const room = f.split('/')[0]!;
      if (!(room in rank) || f.endsWith('.test.ts')) continue;
      for (const m of readFileSync(join(root, f), 'utf8').matchAll(/from\s+['"](\.[^'"]+)['"]/g)) {
        const target = relative(root, join(root, f, '..', m[1]!)).split(sep)[0]!;
        if (target === room || !(target in rank)) continue;
        const sideways = rank[target] === rank[room]; // lines ↔ protocols, emulators ↔ terminal ↔ fake-cloud, hil-rig ↔ scenarios
        if (rank[target]! > rank[room]! || (sideways && !(room === 'hil-rig' && target === 'scenarios') && !(room === 'scenarios' && target === 'hil-rig'))) bad.push(`${f} → ${m[1]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('protocols/ is pure: no I/O, no clock, no timers', () => {
    const impure = /from\s+['"](node:)?(fs|net|dgram|child_process|fs\/promises)['"]|core\/clock|from\s+['"][./]*lines\//;
    const offenders = code.filter((f) => f.startsWith('protocols/') && impure.test(readFileSync(join(root, f), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the rule catches a timer it should', () => {
    const wall = /(^|[^.\w])setTimeout\(/;
    expect(wall.test('  setTimeout(() => {}, 5)')).toBe(true);
    expect(wall.test('  clock.setTimeout(5)')).toBe(false);
  });
});
