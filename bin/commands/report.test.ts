import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { setLogLevel } from '../../core/log.ts';
import { main } from '../main.ts';

let root: string;
let out: string[];

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  out = [];
  const write = (chunk: string | Uint8Array) => (out.push(String(chunk)), true);
  const so = vi.spyOn(process.stdout, 'write').mockImplementation(write);
  const se = vi.spyOn(process.stderr, 'write').mockImplementation(write);
  try {
    const code = await main(['node', 'ht-hil', '--log-level', 'silent', ...args]);
    return { code, out: out.join('') };
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = undefined;
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ht-hil-cli-'));
});
afterEach(() => setLogLevel('info'));

describe('ht-hil run --shard, report merge, trace export', () => {
  it('runs two shards of a suite and merges them into one report', async () => {
    const lib = join(import.meta.dirname, '../../scenarios/library/meter-faults.scenario.ts');
    const a = await cli('run', lib, '--grep', 'wrong BCC', '--shard', '1/2', '--report', join(root, 's1'));
    expect(a.out).toContain('shard 1/2: 1 of 2 scenarios');
    expect(a.code).toBe(0);
    const b = await cli('run', lib, '--grep', 'wrong BCC', '--shard', '2/2', '--report', join(root, 's2'));
    expect(b.code).toBe(0);
    const shard = JSON.parse(await readFile(join(root, 's2', 'results.json'), 'utf8'));
    expect(shard.shard).toEqual({ index: 2, count: 2, positions: [expect.any(Number)] });
    expect(shard.suite).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/), size: 2 });
    expect(shard.machine.cores).toBeGreaterThan(0);
    const m = await cli('report', 'merge', join(root, 's2'), join(root, 's1'), '--out', join(root, 'merged'));
    expect(m.out).toContain('merged 2 folders: 2 passed, 0 failed, 0 errors, 0 skipped');
    expect(m.code).toBe(0);
    const merged = JSON.parse(await readFile(join(root, 'merged', 'results.json'), 'utf8'));
    expect(merged.scenarios.map((s: { name: string; trace: string }) => [s.name, s.trace])).toEqual([
      ['meter fault: wrong BCC', 'traces/001-meter-fault-wrong-bcc.jsonl'],
      ['meter fault: wrong BCC once: the retry reads it', 'traces/002-meter-fault-wrong-bcc-once-the-retry-reads-it.jsonl'],
    ]);
    const bad = await cli('report', 'merge', join(root, 's1'), '--out', join(root, 'm2'));
    expect([bad.code, bad.out]).toEqual([4, 'ht-hil: report merge: shard 2/2 missing (have 1/2)\n']);
    expect((await cli('run', lib, '--shard', '3/2')).code).toBe(4);

    const trace = join(root, 'merged', merged.scenarios[0].trace);
    const x = await cli('trace', 'export', trace, '--pcap', join(root, 'bcc.pcapng'));
    expect(x.out).toMatch(/bcc\.pcapng: pcapng, \d+ packets on 1 line \(optical\)\n$/);
    expect((await stat(join(root, 'bcc.pcapng'))).size).toBeGreaterThan(1000);
    const r = await cli('report', 'render', join(root, 'merged'));
    expect(r.out).toBe(`${join(root, 'merged', 'report.html')}\n`);
  }, 60_000);
});
