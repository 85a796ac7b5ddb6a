import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { InputError } from '../../core/errors.ts';
import { TerminalModelSchema, type TerminalModel } from './schema.ts';

export const TERMINAL_MODELS_DIR = fileURLToPath(new URL('./profiles/', import.meta.url));

/** Validates one model profile; errors name the file and the field. */
export function parseTerminalModel(text: string, file: string): TerminalModel {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new InputError(file, `not YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const r = TerminalModelSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new InputError(`${file}: ${i.path.join('.') || 'model'}`, i.message);
  }
  return r.data;
}

let cache: TerminalModel[] | undefined;

export function loadTerminalModels(dir = TERMINAL_MODELS_DIR): TerminalModel[] {
  const models = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parseTerminalModel(readFileSync(join(dir, f), 'utf8'), join('terminal/models/profiles', f)));
  if (dir === TERMINAL_MODELS_DIR) cache = models;
  return models;
}

/** Finds a model by name (`HT G21`, `G21`, `g21`) or product code (`GA3121`). */
export function findTerminalModel(name: string): TerminalModel {
  const models = cache ?? loadTerminalModels();
  const key = name.trim().toUpperCase().replace(/^HT\s*/, '');
  const m = models.find((x) => x.model.toUpperCase().replace(/^HT\s*/, '') === key || x.code === key);
  if (!m) throw new InputError('terminal model', `unknown model '${name}'; known: ${models.map((x) => x.model).join(', ')}`);
  return m;
}
