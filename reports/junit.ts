import { isoTime } from '../core/clock/index.ts';
import type { RunResult, ScenarioResult } from '../scenarios/api/results.ts';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function failureText(s: ScenarioResult): string {
  const lines: string[] = [];
  for (const e of s.expectations.filter((x) => !x.passed)) {
    lines.push(`${e.name}: ${e.message ?? 'failed'}`);
    for (const ev of e.evidence ?? []) {
      const where = [ev.line && `line ${ev.line}`, ev.time !== undefined && `at ${isoTime(ev.time)}`, ev.offset !== undefined && `byte ${ev.offset}`].filter(Boolean).join(', ');
      lines.push(`  ${where}${ev.hex ? `: ${ev.hex}` : ''}${ev.detail ? ` (${ev.detail})` : ''}`);
    }
  }
  if (s.reason) lines.push(s.reason);
  return lines.join('\n');
}

/** JUnit XML as CI systems (GitHub Actions, GitLab, Jenkins) read it: one testcase per scenario. */
export function toJunit(run: RunResult): string {
  const cases = run.scenarios.map((s) => {
    const head = `    <testcase classname="${esc(s.file ?? 'scenarios')}" name="${esc(s.name)}" time="${(s.wallMs / 1000).toFixed(3)}">`;
    const body: string[] = [];
    if (s.verdict === 'failed') body.push(`      <failure message="${esc(s.expectations.find((e) => !e.passed)?.name ?? 'failed')}">${esc(failureText(s))}</failure>`);
    if (s.verdict === 'error') body.push(`      <error message="${esc(s.reason ?? 'error')}">${esc(failureText(s))}</error>`);
    if (s.verdict === 'skipped') body.push(`      <skipped message="${esc(s.reason ?? '')}"/>`);
    if (s.trace) body.push(`      <system-out>trace: ${esc(s.trace)}; simulated ${(s.simulatedMs / 1000).toFixed(1)} s from ${isoTime(s.startTime)}</system-out>`);
    return [head, ...body, '    </testcase>'].join('\n');
  });
  const t = run.totals;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ht-hil" tests="${run.scenarios.length}" failures="${t.failed}" errors="${t.error}" skipped="${t.skipped}" time="${(run.wallMs / 1000).toFixed(3)}">`,
    `  <testsuite name="ht-hil ${run.mode}" tests="${run.scenarios.length}" failures="${t.failed}" errors="${t.error}" skipped="${t.skipped}" time="${(run.wallMs / 1000).toFixed(3)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
