import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TraceRecord } from './record.ts';

/**
 * Collects trace records in memory, in arrival order, and writes them as JSONL.
 * Key order is fixed by the producers, so two identical runs give byte-identical files.
 */
export class TraceRecorder {
  readonly records: TraceRecord[] = [];

  add(record: TraceRecord): void {
    this.records.push(record);
  }

  /** Records of one line, or all bytes records. */
  bytes(line?: string): Extract<TraceRecord, { kind: 'tx' | 'rx' }>[] {
    return this.records.filter((r): r is Extract<TraceRecord, { kind: 'tx' | 'rx' }> => (r.kind === 'tx' || r.kind === 'rx') && (line === undefined || r.line === line));
  }

  toJsonl(): string {
    return this.records.map((r) => JSON.stringify(r)).join('\n') + (this.records.length ? '\n' : '');
  }

  /** Writes the whole trace to `file` (parent folders are made). */
  async writeFile(file: string): Promise<void> {
    await mkdir(dirname(file), { recursive: true });
    const out: WriteStream = createWriteStream(file);
    for (const r of this.records) {
      if (!out.write(JSON.stringify(r) + '\n')) await new Promise<void>((res) => out.once('drain', () => res()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
