import { readFile } from 'node:fs/promises';
import { InputError } from '../errors.ts';
import { traceRecordSchema, type TraceRecord } from './record.ts';

/** Parses JSONL trace text; an error names `file:line` and the field. Blank lines are skipped. */
export function parseTrace(text: string, file = 'trace'): TraceRecord[] {
  const out: TraceRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (!raw) continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (err) {
      throw new InputError(`${file}:${i + 1}`, `not JSON (${(err as Error).message})`);
    }
    const parsed = traceRecordSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const path = issue.path.length ? issue.path.join('.') : 'record';
      throw new InputError(`${file}:${i + 1}`, `${path}: ${issue.message}`);
    }
    out.push(parsed.data);
  }
  return out;
}

export async function readTrace(file: string): Promise<TraceRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot read trace: ${(err as Error).message}`);
  }
  return parseTrace(text, file);
}
