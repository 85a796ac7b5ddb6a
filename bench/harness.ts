/**
 * Benchmarks print ratios measured in one run: simulated time against wall time, or a run
 * against the line's physical limit. Wall time is read here only (bench/ is outside the
 * simulated world).
 */
export interface BenchResult {
  name: string;
  lines: string[];
}

export async function wallTime<T>(work: () => Promise<T>): Promise<{ result: T; wallMs: number }> {
  const began = performance.now();
  const result = await work();
  return { result, wallMs: performance.now() - began };
}

export function ratio(n: number): string {
  return n >= 100 ? `${Math.round(n).toLocaleString('en-US')}×` : `${n.toFixed(2)}×`;
}

export function print(result: BenchResult): void {
  process.stdout.write(`\n## ${result.name}\n`);
  for (const l of result.lines) process.stdout.write(`  ${l}\n`);
}
