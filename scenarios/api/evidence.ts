/**
 * Completes a failed expectation's evidence from the trace: where a check named a line and a
 * time but not the bytes, the frame that arrived on that line last before that time is attached,
 * and an offset the message names ("at offset 806") marks the byte that went wrong.
 */
import type { TraceRecord } from '../../core/trace/index.ts';
import type { ScenarioResult } from './results.ts';

export function enrichEvidence(result: ScenarioResult, records: readonly TraceRecord[]): void {
  for (const e of result.expectations) {
    if (e.passed) continue;
    for (const ev of e.evidence ?? []) {
      if (ev.hex !== undefined || ev.line === undefined || ev.time === undefined) continue;
      let best: Extract<TraceRecord, { kind: 'tx' | 'rx' }> | undefined;
      for (const r of records) {
        if ((r.kind === 'tx' || r.kind === 'rx') && r.line === ev.line && r.end <= ev.time + 1 && (r.kind === 'rx' || !r.from.endsWith('/terminal'))) {
          if (!best || r.end >= best.end) best = r;
        }
      }
      if (!best) continue;
      ev.hex = best.hex;
      const m = /at offset (\d+)/.exec(`${ev.detail ?? ''} ${e.message ?? ''}`);
      if (m && Number(m[1]) < best.hex.length / 2) ev.offset = Number(m[1]);
      ev.detail = `${ev.detail ? `${ev.detail}; ` : ''}bytes from ${best.kind === 'tx' ? best.from : best.to} at ${best.settings}`;
    }
  }
}
