/**
 * `report.html`: one self-contained file (no network, no external scripts) with the run summary,
 * each scenario's verdict and expectations (failing first, with their evidence: line, time and
 * bytes with the wrong one marked), a timeline per line of decoded frames with faults, uplink
 * records and events on the same time axis (click a frame for its hex), and plots of readings.
 */
import { isoTime } from '../../core/clock/index.ts';
import type { RunResult, ScenarioResult, Series } from '../../scenarios/api/results.ts';
import type { Digest } from './digest.ts';
import { REPORT_CSS } from './style.ts';
import { REPORT_JS } from './script.ts';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const MARK = { passed: '✓', failed: '✗', error: '!', skipped: '–' } as const;

/** Hex with the byte at `offset` marked; long frames show the bytes around it, with offsets. */
function hexWithMark(hex: string, offset?: number): string {
  const bytes = hex.replace(/\s+/g, '').match(/.{1,2}/g) ?? [];
  const from = offset === undefined ? 0 : Math.max(0, offset - 48);
  const to = Math.min(bytes.length, offset === undefined ? 256 : offset + 32);
  const body = bytes
    .slice(from, to)
    .map((b, i) => (from + i === offset ? `<mark title="byte ${offset}">${b}</mark>` : b))
    .join(' ');
  return `${from > 0 ? `… [${from}] ` : ''}${body}${to < bytes.length ? ` … [${bytes.length} bytes]` : ''}`;
}

function expectations(s: ScenarioResult): string {
  const sorted = [...s.expectations].sort((a, b) => Number(a.passed) - Number(b.passed));
  const items = sorted.map((e) => {
    const ev = (e.evidence ?? [])
      .map((x) => `<li class="evidence">${[x.line && `line <b>${esc(x.line)}</b>`, x.time !== undefined && `at ${esc(isoTime(x.time))}`, x.offset !== undefined && `byte ${x.offset}`].filter(Boolean).join(', ')}${x.detail ? ` — ${esc(x.detail)}` : ''}${x.hex ? `<div class="hex">${hexWithMark(x.hex, x.offset)}</div>` : ''}</li>`)
      .join('');
    return `<li class="${e.passed ? 'ok' : 'bad'}"><span class="mark">${e.passed ? '✓' : '✗'}</span> ${esc(e.name)}${e.message ? `<div class="msg">${esc(e.message)}</div>` : ''}${ev ? `<ul>${ev}</ul>` : ''}</li>`;
  });
  return `<ul class="expectations">${items.join('')}</ul>`;
}

function plot(series: Series, start: number): string {
  const pts = series.points;
  if (pts.length < 2) return '';
  const w = 640;
  const h = 160;
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => 40 + ((x - x0) / (x1 - x0 || 1)) * (w - 50);
  const sy = (y: number) => h - 20 - ((y - y0) / (y1 - y0 || 1)) * (h - 35);
  const path = pts.map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
  const hours = (x: number) => `${((x - start) / 3_600_000).toFixed(1)} h`;
  return `<figure class="plot"><svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(series.name)}">
<line x1="40" y1="${h - 20}" x2="${w - 10}" y2="${h - 20}" class="axis"/><line x1="40" y1="10" x2="40" y2="${h - 20}" class="axis"/>
<text x="42" y="14" class="tick">${esc(y1.toFixed(3))}</text><text x="42" y="${h - 24}" class="tick">${esc(y0.toFixed(3))}</text>
<text x="40" y="${h - 4}" class="tick">${hours(x0)}</text><text x="${w - 60}" y="${h - 4}" class="tick">${hours(x1)}</text>
<path d="${path}" class="series"/></svg><figcaption>${esc(series.name)}${series.unit ? ` (${esc(series.unit)})` : ''}, ${pts.length} points</figcaption></figure>`;
}

function scenario(s: ScenarioResult, i: number, digest: Digest | undefined): string {
  const stats = Object.entries(s.stats ?? {}).map(([k, v]) => `${esc(k)} ${v}`).join(' · ');
  const timeline = digest
    ? `<section class="timeline" data-digest="d${i}"><div class="controls"><label>window <select class="window"></select></label> <span class="count"></span></div><div class="svgbox"></div><div class="detail">Click a frame to see its bytes.</div><div class="frames"></div></section>
<script type="application/json" id="d${i}">${JSON.stringify(digest).replace(/</g, '\\u003c')}</script>`
    : '';
  const plots = (s.series ?? []).map((x) => plot(x, s.startTime)).join('');
  return `<details class="scenario ${s.verdict}" ${s.verdict === 'passed' || s.verdict === 'skipped' ? '' : 'open'} id="s${i}">
<summary><span class="badge ${s.verdict}">${MARK[s.verdict]} ${s.verdict}</span> ${esc(s.name)}</summary>
<p class="meta">${s.file ? `${esc(s.file)} · ` : ''}${s.mode} · simulated ${(s.simulatedMs / 3_600_000).toFixed(2)} h from ${esc(isoTime(s.startTime))} in ${(s.wallMs / 1000).toFixed(2)} s${s.trace ? ` · trace <a href="${esc(s.trace)}">${esc(s.trace)}</a>` : ''}</p>
${s.reason ? `<p class="reason">${esc(s.reason)}</p>` : ''}${stats ? `<p class="stats">${stats}</p>` : ''}
${expectations(s)}${plots ? `<div class="plots">${plots}</div>` : ''}${timeline}</details>`;
}

/** The whole report as one HTML document. `digests[i]` belongs to `run.scenarios[i]`. */
export function renderHtmlReport(run: RunResult, digests: (Digest | undefined)[]): string {
  const t = run.totals;
  const order = run.scenarios.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i);
  const index = order.map(({ s, i }) => `<li><a href="#s${i}"><span class="badge ${s.verdict}">${MARK[s.verdict]}</span> ${esc(s.name)}</a></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ht-hil report: ${t.passed} passed, ${t.failed + t.error} failed</title><style>${REPORT_CSS}</style></head>
<body><header><h1>ht-hil report</h1>
<p class="totals"><span class="badge passed">${t.passed} passed</span> <span class="badge failed">${t.failed} failed</span> <span class="badge error">${t.error} errors</span> <span class="badge skipped">${t.skipped} skipped</span> · ${run.mode} mode · ${(run.wallMs / 1000).toFixed(1)} s</p></header>
<nav><ol class="index">${index}</ol></nav>
<main>${order.map(({ s, i }) => scenario(s, i, digests[i])).join('\n')}</main>
<script>${REPORT_JS}</script></body></html>
`;
}

function rank(s: ScenarioResult): number {
  return { error: 0, failed: 1, passed: 2, skipped: 3 }[s.verdict];
}
