import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InputError } from '../../core/errors.ts';
import type { Scenario } from './scenario.ts';

/**
 * Files ending in `.scenario.ts` (or `.scenario.mts`, for files outside an ES-module package)
 * under the given files or folders, sorted.
 */
export async function findScenarioFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch {
      throw new InputError(p, 'no such file or folder');
    }
    if (s.isDirectory()) {
      for (const name of (await readdir(p, { recursive: true })).sort()) if (/\.scenario\.m?ts$/.test(name)) out.push(join(p, name));
    } else out.push(p);
  }
  return [...new Set(out)].sort();
}

function isScenario(x: unknown): x is Scenario {
  return typeof x === 'object' && x !== null && typeof (x as Scenario).name === 'string' && Array.isArray((x as Scenario).expect) && typeof (x as Scenario).site === 'object';
}

/** Imports scenario modules: a default export of one scenario or a list of them. */
export async function loadScenarios(files: readonly string[]): Promise<Scenario[]> {
  const out: Scenario[] = [];
  for (const f of files) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(resolve(f)).href)) as { default?: unknown };
    } catch (err) {
      const hint = /require\(\) ES Module|ERR_REQUIRE/.test(String(err)) ? ' (outside an ES-module package, name it *.scenario.mts)' : '';
      throw new InputError(f, `cannot load the scenario module: ${(err as Error).message.split('\n')[0]}${hint}`);
    }
    const list = Array.isArray(mod.default) ? mod.default : [mod.default];
    if (!list.every(isScenario)) throw new InputError(f, 'default export must be a scenario (defineScenario) or a list of them');
    for (const s of list as Scenario[]) out.push({ ...s, file: relative(process.cwd(), resolve(f)) });
  }
  const names = new Set<string>();
  for (const s of out) {
    if (names.has(s.name)) throw new InputError(s.file ?? 'scenarios', `two scenarios are named '${s.name}'`);
    names.add(s.name);
  }
  return out;
}
