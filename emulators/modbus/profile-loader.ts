/**
 * Reads Modbus device model profiles from YAML files and finds them by name.
 *
 * Every failure is a `ModbusProfileError` (an InputError) whose message names the file, each
 * offending field path with its line, and what was expected, e.g.
 * `profiles/klemsan/rapidus.yaml: field registers[3].type (line 41): Invalid option: expected one of …`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../core/errors.ts';
import { ProfileError, parseProfileYaml } from '../../core/profile-yaml.ts';
import { modbusProfileSchema, type ModbusProfile } from './profile-schema.ts';

/** The folder of shipped profiles. */
export const DEFAULT_PROFILE_DIR: string = fileURLToPath(new URL('./profiles/', import.meta.url));

/** A profile with the file it came from and its lookup key `vendor-slug/model-slug`. */
export type LoadedModbusProfile = ModbusProfile & { readonly file: string; readonly key: string };

export type { ProfileIssue } from '../../core/profile-yaml.ts';

/** A profile file that could not be read, parsed or validated; lists every issue found. */
export class ModbusProfileError extends ProfileError {}

/**
 * Parses and validates one profile from YAML text. `file` only names the source in errors.
 * Throws ModbusProfileError on a YAML syntax error or any schema or cross-field violation.
 */
export function parseModbusProfileText(text: string, file: string): ModbusProfile {
  return parseProfileYaml(text, file, modbusProfileSchema, (f, i, o) => new ModbusProfileError(f, i, o));
}

/** Reads, parses and validates one profile file. */
export function loadModbusProfile(file: string): ModbusProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ModbusProfileError(file, [{ path: '(root)', message: `cannot read the file: ${(err as Error).message}` }], { cause: err });
  }
  return parseModbusProfileText(text, file);
}

/** Lower case, accents removed, every run of other characters turned into one '-'. */
export function slug(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ı/g, 'i').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** `klemsan/remo-q` for vendor Klemsan, model REMO-Q. */
export function profileKey(p: Pick<ModbusProfile, 'vendor' | 'model'>): string {
  return `${slug(p.vendor)}/${slug(p.model)}`;
}

const compact = (text: string): string => slug(text).replace(/-/g, '');

/** Names a profile is found by: vendor+model, vendor+alias, and each alias alone. */
function lookupNames(p: ModbusProfile): string[] {
  return [compact(`${p.vendor} ${p.model}`), ...p.aliases.flatMap((a) => [compact(`${p.vendor} ${a}`), compact(a)])];
}

function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listYamlFiles(full));
    else if (/\.ya?ml$/i.test(name)) out.push(full);
  }
  return out;
}

/**
 * Loads every `*.yaml`/`*.yml` under `dir` (recursively, sorted by path). Each file must sit at
 * `<vendor-slug>/<model-slug>.yaml` relative to `dir`, and no two profiles may share a key or a
 * lookup name (vendor+model or alias). Throws ModbusProfileError naming the file at fault.
 */
export function loadModbusProfiles(dir: string = DEFAULT_PROFILE_DIR): LoadedModbusProfile[] {
  let files: string[];
  try {
    files = listYamlFiles(dir);
  } catch (err) {
    throw new ModbusProfileError(dir, [{ path: '(root)', message: `cannot list the profile folder: ${(err as Error).message}` }], { cause: err });
  }
  const out: LoadedModbusProfile[] = [];
  const owners = new Map<string, string>();
  for (const file of files) {
    const profile = loadModbusProfile(file);
    const key = profileKey(profile);
    const rel = relative(dir, file).split(sep).join('/');
    if (rel.replace(/\.ya?ml$/i, '') !== key) {
      throw new ModbusProfileError(file, [{ path: 'model', message: `a profile for ${profile.vendor} ${profile.model} belongs at ${key}.yaml; found at ${rel}` }]);
    }
    for (const name of new Set(lookupNames(profile))) {
      const owner = owners.get(name);
      if (owner !== undefined) {
        throw new ModbusProfileError(file, [{ path: 'model', message: `duplicate profile: the name '${name}' (vendor+model or alias) is already used by ${owner}` }]);
      }
      owners.set(name, file);
    }
    out.push({ ...profile, file, key });
  }
  return out;
}

/**
 * Finds a profile by `vendor/model` key, "Vendor Model" text, vendor+alias, or alias alone;
 * case, spaces and punctuation are ignored ('Klemsan REMO-Q' = 'klemsan/remo-q' = 'klemsanremoq').
 * A model name alone also matches when exactly one vendor has it. Returns undefined when nothing
 * matches; throws an InputError when the name fits more than one profile.
 */
export function findModbusProfile(nameOrVendorModel: string, profiles: readonly LoadedModbusProfile[] = loadModbusProfiles()): LoadedModbusProfile | undefined {
  const wanted = compact(nameOrVendorModel);
  if (!wanted) return undefined;
  let hits = profiles.filter((p) => lookupNames(p).includes(wanted));
  if (hits.length === 0) hits = profiles.filter((p) => compact(p.model) === wanted);
  if (hits.length > 1) {
    throw new InputError('modbus profile lookup', `'${nameOrVendorModel}' fits ${hits.map((p) => p.key).join(', ')}; expected a vendor/model key`);
  }
  return hits[0];
}
