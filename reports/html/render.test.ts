import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../core/trace/index.ts';
import { totals, type ScenarioResult } from '../../scenarios/api/results.ts';
import { digestTrace } from './digest.ts';
import { renderHtmlReport } from './render.ts';

const start = Date.UTC(2026, 0, 5);
const base = { mode: 'virtual', wallMs: 120, simulatedMs: 1_860_000, startTime: start } as const;
const trace: TraceRecord[] = [
  { kind: 'header', version: 1, clock: 'virtual', start },
  { kind: 'tx', t: start + 900_000, end: start + 900_166.7, line: 'optical', from: 'optical/terminal', hex: '2f3f210d0a', settings: '300 7E1' },
  { kind: 'tx', t: start + 902_000, end: start + 902_010, line: 'optical', from: 'optical/meter', hex: '023f3f0321', settings: '9600 7E1' },
  { kind: 'rx', t: start + 903_000, end: start + 903_010, line: 'optical', to: 'optical/terminal', hex: '7f', settings: '300 7E1', flags: ['framing@0', 'mismatch'], sent: '9600 7E1' },
  { kind: 'note', t: start + 899_000, line: 'optical', from: 'scenario', text: 'fault on: meter 1 wrong-bcc ×3' },
  { kind: 'event', t: start + 903_500, source: 'cloud', name: 'record-stored', data: { seq: 2 } },
];

describe('HTML report', () => {
  it('puts failures first with their evidence, embeds the timeline, and needs nothing from outside', () => {
    const scenarios: ScenarioResult[] = [
      { ...base, name: 'passes <ok>', verdict: 'passed', expectations: [{ name: 'fine', passed: true }], series: [{ name: 'meter 1 1.8.0', unit: 'kWh', points: [[start, 1], [start + 900_000, 2]] }] },
      {
        ...base,
        name: 'wrong BCC',
        verdict: 'failed',
        expectations: [{ name: 'reading arrives', passed: false, message: 'reason bcc-mismatch', evidence: [{ line: 'optical', time: start + 902_000, hex: '023f3f0321', offset: 4 }] }],
      },
    ];
    const run = { tool: 'ht-hil' as const, version: '0', mode: 'virtual' as const, wallMs: 300, scenarios, totals: totals(scenarios) };
    const html = renderHtmlReport(run, [digestTrace(trace, scenarios[0]!), digestTrace(trace, scenarios[1]!)]);
    const long = renderHtmlReport({ ...run, scenarios: [{ ...scenarios[1]!, expectations: [{ name: 'x', passed: false, evidence: [{ hex: '00'.repeat(800) + 'ee' + '00'.repeat(100), offset: 800 }] }] }] }, []);
    expect(long).toMatch(/… \[752\] (00 ){48}<mark title="byte 800">ee<\/mark>( 00){31} … \[901 bytes\]/);
    expect(html.indexOf('wrong BCC')).toBeLessThan(html.indexOf('passes &lt;ok&gt;'));
    expect(html).toContain('02 3f 3f 03 <mark title="byte 4">21</mark>');
    expect(html).toContain('line <b>optical</b>, at 2026-01-05T00:15:02.000Z, byte 4');
    expect(html).toMatch(/<details class="scenario failed" open/);
    expect(html).toContain('1 passed</span> <span class="badge failed">1 failed');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const json = /<script type="application\/json" id="d1">(.*?)<\/script>/s.exec(html)![1]!;
    const digest = JSON.parse(json) as { frames: { text: string; flags: string[] }[]; events: { text: string }[]; lines: string[] };
    expect(digest.lines).toEqual(['optical']);
    expect(digest.frames[0]!.text).toBe('request (no address)');
    expect(digest.frames[2]!.flags).toEqual(['framing@0', 'mismatch', 'sent at 9600 7E1']);
    expect(digest.events.map((e) => e.text)).toEqual(['fault on: meter 1 wrong-bcc ×3', 'record-stored {"seq":2}']);
    expect(html).toContain('<path d="M');
  });
});
