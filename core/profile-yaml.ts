/**
 * Profiles (device models, modem modules, register sets) are YAML files validated with a zod
 * schema. This parses one and reports every problem with the file, the field path
 * (`registers[3].type`) and the line, e.g.
 * `profiles/klemsan/rapidus.yaml: field registers[3].type (line 41): Invalid option: …`.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { ZodType } from 'zod';
import { InputError } from './errors.ts';

/** One problem found in a profile file. `path` is `registers[3].type` style, `(root)` for the file. */
export interface ProfileIssue {
  readonly path: string;
  readonly message: string;
  readonly line?: number | undefined;
}

/** A profile file that could not be read, parsed or validated; lists every issue found. */
export class ProfileError extends InputError {
  readonly file: string;
  readonly issues: readonly ProfileIssue[];
  constructor(file: string, issues: readonly ProfileIssue[], options?: { cause?: unknown }) {
    super(file, issues.map((i) => `field ${i.path}${i.line !== undefined ? ` (line ${i.line})` : ''}: ${i.message}`).join('; '), options);
    this.file = file;
    this.issues = issues;
  }
}

/** `registers[3].type` from ['registers', 3, 'type']. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || '(root)';
}

/** Line of the deepest YAML node that exists along `path`. */
function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}

type ErrorFactory = (file: string, issues: readonly ProfileIssue[], options?: { cause?: unknown }) => Error;

/**
 * Parses YAML `text` and validates it with `schema`. Throws the error `make` builds (a
 * `ProfileError` by default) on a YAML syntax error, an unresolvable alias, or any schema issue.
 */
export function parseProfileYaml<T>(text: string, file: string, schema: ZodType<T>, make: ErrorFactory = (f, i, o) => new ProfileError(f, i, o)): T {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw make(
      file,
      doc.errors.map((e) => {
        const first = e.message.split('\n')[0] ?? e.message;
        const at = / at line \d+, column (\d+):?$/.exec(first);
        return { path: '(root)', line: e.linePos?.[0]?.line, message: `YAML syntax${at ? ` at column ${at[1]}` : ''}: ${at ? first.slice(0, at.index) : first}` };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    // Unresolved aliases and alias bombs surface here, not in doc.errors.
    throw make(file, [{ path: '(root)', message: `YAML: ${(err as Error).message}` }], { cause: err });
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    throw make(file, result.error.issues.map((issue) => ({ path: formatPath(issue.path), line: lineOf(doc, counter, issue.path), message: issue.message })));
  }
  return result.data;
}
