/**
 * The register sets the terminal knows, read from `device-types/<type>/*.yaml`, and the lookup
 * the config uses: a declared device's type and optional model → one register set. Without a
 * model the type's default set is read (one per type, `default: true`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { InputError } from '../../core/errors.ts';
import type { ModbusDeviceType } from '../../protocols/uplink/modbus-config.ts';
import { RegisterSetSchema, registerSetName, type RegisterSet } from './register-set.ts';

export const DEVICE_TYPES_DIR = fileURLToPath(new URL('./device-types/', import.meta.url));

/** Validates one register set file; errors name the file and the field (`values[3].address`). */
export function parseRegisterSet(text: string, file: string): RegisterSet {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new InputError(file, `not YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const r = RegisterSetSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const path = i.path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '');
    throw new InputError(`${file}: ${path || 'register set'}`, i.message);
  }
  return r.data;
}

/** Lower case, letters and digits only: `Klemsan REMO-Q` → `klemsanremoq`. */
function key(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export class RegisterSetCatalog {
  constructor(readonly sets: readonly RegisterSet[]) {
    const defaults = new Map<string, RegisterSet>();
    for (const s of sets) {
      if (!s.default) continue;
      const other = defaults.get(s.type);
      if (other) throw new InputError('register sets', `two defaults for ${s.type}: ${registerSetName(other)} and ${registerSetName(s)}`);
      defaults.set(s.type, s);
    }
    const names = new Set<string>();
    for (const s of sets) {
      const k = `${s.type}/${key(registerSetName(s))}`;
      if (names.has(k)) throw new InputError('register sets', `${registerSetName(s)} appears twice for ${s.type}`);
      names.add(k);
    }
  }

  /** The sets of a type, the default first. */
  ofType(type: ModbusDeviceType): RegisterSet[] {
    return this.sets.filter((s) => s.type === type).sort((a, b) => Number(b.default) - Number(a.default));
  }

  /**
   * The register set for a declared device, or a sentence saying why there is none. A model
   * matches `vendor model`, the model alone or an alias, ignoring case, spaces and punctuation.
   */
  find(type: ModbusDeviceType, model?: string): { ok: true; set: RegisterSet } | { ok: false; message: string } {
    const candidates = this.ofType(type);
    if (model === undefined) {
      const d = candidates.find((s) => s.default);
      return d ? { ok: true, set: d } : { ok: false, message: `no register set is known for ${type}; name a model` };
    }
    const k = key(model);
    const hit = candidates.find((s) => [registerSetName(s), s.model, ...s.aliases].some((n) => key(n) === k));
    if (hit) return { ok: true, set: hit };
    const known = candidates.map(registerSetName);
    return { ok: false, message: `unknown model '${model}' for ${type}${known.length ? `; known: ${known.join(', ')}` : ''}` };
  }
}

/** Every register set under `dir` (one folder per device type). */
export function loadRegisterSets(dir = DEVICE_TYPES_DIR): RegisterSet[] {
  const out: RegisterSet[] = [];
  const walk = (d: string): void => {
    for (const f of readdirSync(d).sort()) {
      const p = join(d, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.yaml')) {
        const where = `terminal/modbus/device-types/${relative(dir, p)}`;
        const set = parseRegisterSet(readFileSync(p, 'utf8'), where);
        const folder = relative(dir, d);
        if (folder && folder !== set.type) throw new InputError(`${where}: type`, `${set.type} register set sits in folder ${folder}`);
        out.push(set);
      }
    }
  };
  walk(dir);
  return out;
}

let shipped: RegisterSetCatalog | undefined;

/** The shipped register sets, read once per process. */
export function shippedCatalog(): RegisterSetCatalog {
  shipped ??= new RegisterSetCatalog(loadRegisterSets());
  return shipped;
}
