import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../core/trace/index.ts';
import { totals, type ScenarioResult } from '../../scenarios/api/results.ts';
import type { ReportRun } from '../run-info.ts';
import { digestTrace, type Digest } from './digest.ts';
import { niceTicks, plotSeries } from './plot.ts';
import { renderHtmlReport } from './render.ts';
import { hexWithMark } from './text.ts';

const start = Date.UTC(2026, 0, 5);
const base = { mode: 'virtual', wallMs: 120, simulatedMs: 1_860_000, startTime: start } as const;
const trace: TraceRecord[] = [
  { kind: 'header', version: 1, clock: 'virtual', start },
  { kind: 'tx', t: start + 900_000, end: start + 900_166.7, line: 'optical', from: 'optical/terminal', hex: '2f3f210d0a', settings: '300 7E1' },
  { kind: 'tx', t: start + 902_000, end: start + 902_010, line: 'optical', from: 'optical/meter', hex: '023f3f0321', settings: '9600 7E1' },
  { kind: 'rx', t: start + 903_000, end: start + 903_010, line: 'optical', to: 'optical/terminal', hex: '7f', settings: '300 7E1', flags: ['framing@0', 'mismatch'], sent: '9600 7E1' },
  { kind: 'note', t: start + 899_000, line: 'optical', from: 'scenario', text: 'fault on: </script><b>x</b>' },
  { kind: 'event', t: start + 903_500, source: 'cloud', name: 'record-stored', data: { seq: 2 } },
];
const machine = { host: 'ci-7', os: 'linux 6.1 x64', cpu: 'EPYC', cores: 2, memoryGb: 8, node: 'v20.20.2' };

function report(extra: Partial<ReportRun> = {}, screenshots: string[] = []): { html: string; digests: Digest[] } {
  const scenarios: ScenarioResult[] = [
    { ...base, name: 'passes <ok>', verdict: 'passed', expectations: [{ name: 'fine', passed: true }], series: [{ name: 'meter 1 1.8.0', unit: 'kWh', points: [[start, 1], [start + 900_000, 2], [start + 1_800_000, 2.5]] }] },
    {
      ...base,
      name: 'wrong BCC',
      verdict: 'failed',
      expectations: [
        { name: 'first is fine', passed: true },
        { name: 'reading arrives', passed: false, message: 'reason bcc-mismatch', evidence: [{ line: 'optical', time: start + 902_010, hex: '023f3f0321', offset: 4 }] },
      ],
    },
  ];
  const run: ReportRun = { tool: 'ht-hil', version: '0.1.0', mode: 'virtual', wallMs: 300, scenarios, totals: totals(scenarios), startedAt: Date.UTC(2026, 10, 23, 1), machine, suite: { id: '0123456789abcdef', size: 9 }, ...extra };
  const digests = scenarios.map((s) => digestTrace(trace, s));
  return { html: renderHtmlReport(run, digests, { screenshots }), digests };
}

describe('HTML report', () => {
  it('summarises the run: totals, wall and simulated time, when, machine, suite', () => {
    const { html } = report({ shard: { index: 2, count: 3, positions: [1, 4] } });
    expect(html).toContain('1 passed</span> <span class="badge failed">1 failed');
    expect(html).toContain('<tr><th>simulated time</th><td>62.0 min (12,400× real time)</td></tr>');
    expect(html).toContain('<tr><th>wall time</th><td>300 ms</td></tr>');
    expect(html).toContain('<tr><th>started</th><td>2026-11-23T01:00:00.000Z</td></tr>');
    expect(html).toContain('ci-7 · linux 6.1 x64 · EPYC × 2 · 8 GB · node v20.20.2');
    expect(html).toContain('9 scenarios, fingerprint <code>0123456789abcdef</code>; this is shard 2/3 (2 of them)');
  });

  it('lists the shards of a merged report', () => {
    const { html } = report({ shards: [{ index: 1, count: 2, scenarios: 5, wallMs: 61_000, machine, from: 'shard-1' }, { index: 2, count: 2, scenarios: 4, wallMs: 2500, from: 'shard-2' }] });
    expect(html).toContain('<tr><td>1/2</td><td>5</td><td>61.0 s</td><td></td><td>ci-7 · linux');
    expect(html).toContain('<tr><td>2/2</td><td>4</td><td>2.5 s</td><td></td><td>not recorded</td><td>shard-2</td></tr>');
    expect(html).toContain('(longest shard; the shards ran side by side)');
  });

  it('puts failures first, points the first failure at its line, time and bytes, and links its frame', () => {
    const { html, digests } = report();
    expect(html.indexOf('wrong BCC')).toBeLessThan(html.indexOf('passes &lt;ok&gt;'));
    expect(html).toMatch(/<details class="scenario failed" data-verdict="failed" open id="s1">/);
    expect(html).toMatch(/<details class="scenario passed" data-verdict="passed"  id="s0">/);
    const k = digests[1]!.links[0]!.k;
    expect(digests[1]!.frames[k]!.hex).toBe('023f3f0321');
    expect(html).toContain(`<div class="first-failure"><b>First failure:</b> reading arrives — <span class="msg">reason bcc-mismatch</span><div>line <b>optical</b>, at 2026-01-05T00:15:02.010Z (+902.010 s), byte 4 <a href="#s1" class="goto" data-s="1" data-k="${k}">show the frame and its bytes</a></div><div class="hex">02 3f 3f 03 <mark title="byte 4">21</mark></div></div>`);
    const failing = html.slice(html.indexOf('id="s1"'));
    expect(failing.indexOf('✗</span> reading arrives')).toBeLessThan(failing.indexOf('✓</span> first is fine'));
    expect(html).toContain(`show the frame in the timeline</a>`);
  });

  it('embeds each timeline as JSON that survives markup in the trace, and needs nothing from outside', () => {
    const { html } = report();
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toContain('</script><b>');
    const json = /<script type="application\/json" id="d1">(.*?)<\/script>/s.exec(html)![1]!;
    const d = JSON.parse(json) as Digest;
    expect(d.lanes.map((l) => l.id)).toEqual(['optical', 'cloud']);
    expect(d.frames.map((f) => f.text)).toEqual(['request (no address)', expect.stringMatching(/^error: IEC 62056-21: BCC mismatch at offset 4/), expect.stringMatching(/^error/)]);
    expect(d.frames[2]!.flags).toEqual(['framing@0', 'mismatch', 'sent at 9600 7E1']);
    expect(d.events.map((e) => e.text)).toEqual(['fault on: </script><b>x</b>', '#2']);
  });

  it('links screenshots of the folder', () => {
    const { html } = report({}, ['screenshots/failing.png']);
    expect(html).toContain('<a href="screenshots/failing.png"><img src="screenshots/failing.png" alt="screenshots/failing.png" loading="lazy" width="320"></a>');
    expect(report().html).not.toContain('class="screenshots"');
  });

  it('plots a series with round ticks on both axes', () => {
    const svg = plotSeries({ name: 'meter 1 1.8.0', unit: 'kWh', points: [[start, 1000], [start + 3_600_000, 1001.5], [start + 7_200_000, 1004]] });
    expect(svg).toContain('<path d="M64.0,');
    expect(svg).toMatch(/>1000<\/text>.*>1004<\/text>/s);
    expect(svg).toMatch(/>00:00<\/text>.*>01:00<\/text>.*>02:00<\/text>/s);
    expect(svg).toContain('<title>2026-01-05T01:00:00.000Z: 1001.5 kWh</title>');
    expect(plotSeries({ name: 'one', points: [[start, 1]] })).toBe('');
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(1001.4, 1593.2, 6)).toEqual([1100, 1200, 1300, 1400, 1500]);
    expect(niceTicks(1001.4, 1593.2, 4)).toEqual([1200, 1400]);
  });

  it('shows the bytes around a marked byte of a long frame, with offsets', () => {
    expect(hexWithMark('00'.repeat(800) + 'ee' + '00'.repeat(100), 800)).toMatch(/^… \[752\] (00 ){48}<mark title="byte 800">ee<\/mark>( 00){31} … \[901 bytes\]$/);
    expect(hexWithMark('01 02 03')).toBe('01 02 03');
  });
});
