/**
 * Reads cellular module profiles from YAML and finds them by name. Every failure is a
 * `ModemProfileError` (an InputError) naming the file, each offending field with its line, and
 * what was expected: `profiles/simcom/sim800c.yaml: field sockets.count (line 52): Too big: …`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../core/errors.ts';
import { ProfileError, parseProfileYaml } from '../../core/profile-yaml.ts';
import { modemProfileSchema, type ModemProfile } from './profile-schema.ts';

/** The folder of shipped profiles. */
export const DEFAULT_MODEM_PROFILE_DIR: string = fileURLToPath(new URL('./profiles/', import.meta.url));

/** A profile with its file and lookup key `vendor/model` (slugs). */
export type LoadedModemProfile = ModemProfile & { readonly file: string; readonly key: string };

/** One problem in a profile file. */
export type { ProfileIssue as ModemProfileIssue } from '../../core/profile-yaml.ts';

/** A profile that could not be read, parsed or validated. */
export class ModemProfileError extends ProfileError {}

/** Parses and validates one profile from YAML text; `file` names the source in errors. */
export function parseModemProfileText(text: string, file: string): ModemProfile {
  return parseProfileYaml(text, file, modemProfileSchema, (f, i, o) => new ModemProfileError(f, i, o));
}

/** Reads, parses and validates one profile file. */
export function loadModemProfile(file: string): ModemProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ModemProfileError(file, [{ path: '(root)', message: `cannot read the file: ${(err as Error).message}` }], { cause: err });
  }
  return parseModemProfileText(text, file);
}

/** Lower case; every run of other characters becomes one '-'. */
function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

const compact = (s: string): string => slug(s).replace(/-/g, '');

function names(p: ModemProfile): string[] {
  return [compact(`${p.vendor} ${p.model}`), compact(p.model), ...p.aliases.flatMap((a) => [compact(`${p.vendor} ${a}`), compact(a)])];
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/i.test(name)) out.push(full);
  }
  return out;
}

/**
 * Loads every profile under `dir`. Each must sit at `<vendor-slug>/<model-slug>.yaml`, and no two
 * may share a lookup name (model, vendor+model, alias). Throws ModemProfileError.
 */
export function loadModemProfiles(dir: string = DEFAULT_MODEM_PROFILE_DIR): LoadedModemProfile[] {
  let files: string[];
  try {
    files = yamlFiles(dir);
  } catch (err) {
    throw new ModemProfileError(dir, [{ path: '(root)', message: `cannot list the profile folder: ${(err as Error).message}` }], { cause: err });
  }
  const owners = new Map<string, string>();
  return files.map((file) => {
    const p = loadModemProfile(file);
    const key = `${slug(p.vendor)}/${slug(p.model)}`;
    const rel = relative(dir, file).split(sep).join('/').replace(/\.ya?ml$/i, '');
    if (rel !== key) throw new ModemProfileError(file, [{ path: 'model', message: `a profile for ${p.vendor} ${p.model} belongs at ${key}.yaml; found at ${rel}.yaml` }]);
    for (const n of new Set(names(p))) {
      const owner = owners.get(n);
      if (owner !== undefined) throw new ModemProfileError(file, [{ path: 'aliases', message: `the name '${n}' is already used by ${owner}` }]);
      owners.set(n, file);
    }
    return { ...p, file, key };
  });
}

let shipped: LoadedModemProfile[] | undefined;

/** The shipped profiles, read once per process. */
export function shippedModemProfiles(): readonly LoadedModemProfile[] {
  shipped ??= loadModemProfiles();
  return shipped;
}

/**
 * Finds a profile by `vendor/model` key, model, "Vendor Model" or alias; case, spaces and
 * punctuation are ignored ('SIM800C' = 'simcom/sim800c' = 'SIMCom SIM800C'). Undefined when none fits.
 */
export function findModemProfile(name: string, profiles: readonly LoadedModemProfile[] = shippedModemProfiles()): LoadedModemProfile | undefined {
  const wanted = compact(name);
  if (!wanted) return undefined;
  return profiles.find((p) => p.key === name.toLowerCase() || names(p).includes(wanted));
}
