/**
 * Loads meter brand profiles (YAML) and finds one by brand, FLAG id and model.
 *
 * Every failure is a {@link MeterProfileError} (an `InputError`) whose message names the file,
 * the field path and what was expected, one line per problem, e.g.
 * `profiles/landis/zmd310.yaml: readout[3].format.integer: expected a whole number 1..12, got "x"`.
 * Loading is synchronous: profiles are a few kilobytes and are read once at start-up.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import type * as z from 'zod';
import { InputError } from '../../core/errors.ts';
import { MeterProfileSchema } from './profile-schema.ts';
import type { MeterProfile } from './profile-schema.ts';

/** The profiles shipped with the repository. */
export const DEFAULT_PROFILES_DIR: string = fileURLToPath(new URL('./profiles/', import.meta.url));

/** One problem found in a profile file. */
export interface ProfileIssue {
  /** File as shown in messages. */
  readonly file: string;
  /** Field path such as `readout[3].format.integer`; `(root)` for the whole document. */
  readonly path: string;
  /** What was expected and what was found. */
  readonly message: string;
}

/** A profile (or a set of profiles) could not be used. `issues` lists every problem found. */
export class MeterProfileError extends InputError {
  readonly issues: readonly ProfileIssue[];
  constructor(issues: readonly ProfileIssue[]) {
    const [first, ...rest] = issues;
    if (first === undefined) throw new RangeError('MeterProfileError needs at least one issue');
    const more = rest.map((i) => `\n${i.file}: ${i.path}: ${i.message}`).join('');
    super(`${first.file}: ${first.path}`, first.message + more);
    this.issues = issues;
  }
}

/** A loaded profile and the file it came from. */
export interface LoadedMeterProfile {
  readonly file: string;
  readonly profile: MeterProfile;
}

/**
 * Parses and validates one profile from YAML text. `file` is only used in messages.
 * Throws {@link MeterProfileError} on YAML syntax errors and on every schema violation.
 */
export function parseMeterProfile(yamlText: string, file: string): MeterProfile {
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: true, lineCounter: lines });
  if (doc.errors.length > 0) {
    throw new MeterProfileError(doc.errors.map((e) => {
      const at = lines.linePos(e.pos[0]);
      return { file, path: `line ${at.line}, column ${at.col}`, message: `YAML syntax error: ${e.message.split('\n')[0]}` };
    }));
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    // Unresolved or excessive aliases surface only when the document is converted.
    throw new MeterProfileError([{ file, path: '(root)', message: `YAML error: ${err instanceof Error ? err.message : String(err)}` }]);
  }
  return validateMeterProfile(raw, file);
}

/**
 * Validates a profile given as a plain value (for profiles built or altered in code, e.g. a
 * scenario's variant of a shipped profile). `file` is only used in messages.
 * Throws {@link MeterProfileError} listing every schema violation.
 */
export function validateMeterProfile(raw: unknown, file: string): MeterProfile {
  const result = MeterProfileSchema.safeParse(raw);
  if (!result.success) throw new MeterProfileError(toIssues(result.error.issues, raw, file));
  return result.data;
}

/** Reads, parses and validates one profile file. */
export function loadMeterProfile(file: string, shownAs: string = file): MeterProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new MeterProfileError([{ file: shownAs, path: '(root)', message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})` }]);
  }
  return parseMeterProfile(text, shownAs);
}

/**
 * Loads every `*.yaml` / `*.yml` below `dir` (one folder per brand by convention), sorted by path.
 * Collects the problems of all files before throwing; rejects two profiles with the same brand
 * and model. Files are shown relative to the parent of `dir` (`profiles/landis/zmd310.yaml`).
 */
export function loadMeterProfiles(dir: string = DEFAULT_PROFILES_DIR): LoadedMeterProfile[] {
  const base = dirname(dir.replace(/[\\/]+$/, ''));
  const files = listYaml(dir);
  const issues: ProfileIssue[] = [];
  const loaded: LoadedMeterProfile[] = [];
  for (const path of files) {
    const shown = relative(base, path).split('\\').join('/');
    try {
      loaded.push({ file: shown, profile: loadMeterProfile(path, shown) });
    } catch (err) {
      if (err instanceof MeterProfileError) issues.push(...err.issues);
      else throw err;
    }
  }
  const byKey = new Map<string, LoadedMeterProfile>();
  for (const item of loaded) {
    const key = `${normalize(item.profile.brand)}/${normalize(item.profile.model)}`;
    const first = byKey.get(key);
    if (first !== undefined) {
      issues.push({ file: item.file, path: 'model', message: `expected a brand + model not used by another profile, got "${item.profile.brand} ${item.profile.model}" again (first in ${first.file})` });
    } else byKey.set(key, item);
  }
  if (files.length === 0) issues.push({ file: relative(base, dir) || dir, path: '(root)', message: 'expected at least one *.yaml profile, found none' });
  if (issues.length > 0) throw new MeterProfileError(issues);
  return loaded;
}

let defaultSet: LoadedMeterProfile[] | undefined;

/**
 * Finds the profile for a brand (name or alias, case and diacritics ignored: "Köhler" = "kohler")
 * or a FLAG id ("LGZ"), and optionally a model (exact, else a unique prefix: "ZMD310" finds
 * "ZMD310CT"). Returns `undefined` when nothing matches; throws {@link MeterProfileError} when
 * the answer is ambiguous. Searches `profiles`, by default the shipped profiles.
 */
export function findMeterProfile(brandOrFlag: string, model?: string, profiles?: readonly (LoadedMeterProfile | MeterProfile)[]): MeterProfile | undefined {
  const list = (profiles ?? (defaultSet ??= loadMeterProfiles())).map((p) => ('profile' in p ? p.profile : p));
  const who = normalize(brandOrFlag);
  const ofBrand = list.filter((p) => p.flag.toLowerCase() === brandOrFlag.trim().toLowerCase()
    || normalize(p.brand) === who || p.aliases.some((a) => normalize(a) === who));
  let hits = ofBrand;
  if (model !== undefined) {
    const m = normalize(model);
    const exact = ofBrand.filter((p) => normalize(p.model) === m);
    hits = exact.length > 0 ? exact : ofBrand.filter((p) => normalize(p.model).startsWith(m));
  }
  if (hits.length > 1) {
    throw new MeterProfileError([{
      file: 'findMeterProfile',
      path: 'model',
      message: `expected one profile for "${brandOrFlag}"${model === undefined ? '' : ` "${model}"`}, got ${hits.length}: ${hits.map((p) => p.model).join(', ')}; pass a model`,
    }]);
  }
  return hits[0];
}

/** Lower case, diacritics and punctuation removed: "Landis+Gyr" -> "landisgyr", "Köhler" -> "kohler". */
function normalize(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ı/g, 'i').toLowerCase().replace(/[^a-z0-9]/g, '');
}

function listYaml(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new MeterProfileError([{ file: dir, path: '(root)', message: `cannot list the profile folder (${(err as NodeJS.ErrnoException).code ?? String(err)})` }]);
  }
  const out: string[] = [];
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listYaml(path));
    else if (/\.ya?ml$/i.test(name)) out.push(path);
  }
  return out;
}

/** Turns schema issues into messages that name the field and show what was there. */
function toIssues(zodIssues: readonly z.core.$ZodIssue[], raw: unknown, file: string): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  for (const iss of zodIssues) {
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) out.push({ file, path: formatPath([...iss.path, key]), message: 'unknown field (not in the profile schema)' });
      continue;
    }
    const actual = lookup(raw, iss.path);
    let message: string;
    if (iss.code === 'custom') message = iss.message;
    else if (iss.code === 'invalid_union' && 'note' in iss && iss.note === 'No matching discriminator') {
      message = `expected one of ${(iss as { options?: unknown[] }).options?.map((o) => JSON.stringify(o)).join(', ') ?? 'the listed kinds'}, got ${describe(actual)}`;
    } else {
      const expected = iss.message.startsWith('expected ') ? iss.message : defaultExpectation(iss);
      message = actual === undefined ? `missing (${expected})` : `${expected}, got ${describe(actual)}`;
    }
    out.push({ file, path: formatPath(iss.path), message });
  }
  return out;
}

function defaultExpectation(iss: z.core.$ZodIssue): string {
  switch (iss.code) {
    case 'invalid_type': return `expected ${({ number: 'a number', string: 'text', boolean: 'true or false', array: 'a list', object: 'a mapping' } as Record<string, string>)[iss.expected] ?? iss.expected}`;
    case 'invalid_value': return `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small': return `expected at least ${String(iss.minimum)}${iss.origin === 'array' ? ' entries' : iss.origin === 'string' ? ' characters' : ''}`;
    case 'too_big': return `expected at most ${String(iss.maximum)}${iss.origin === 'array' ? ' entries' : iss.origin === 'string' ? ' characters' : ''}`;
    default: return `expected a valid value (${iss.message})`;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : `${out === '' ? '' : '.'}${String(seg)}`;
  return out === '' ? '(root)' : out;
}

function lookup(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}
