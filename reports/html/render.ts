/**
 * `report.html`: one self-contained file (no network, no external scripts or styles) with the
 * run summary (totals, wall and simulated time, when, which machine, which suite or shards),
 * an index with filters, and each scenario (failing first): verdict, first failure, expectations
 * with their evidence, plots of readings, and a zoomable timeline per line with decoded frames,
 * faults, cloud records, notifications and state changes on one time axis (click a frame for its
 * bytes, with the bytes that broke a rule marked). Screenshots in the folder are linked.
 */
import { isoTime } from '../../core/clock/index.ts';
import type { ScenarioResult } from '../../scenarios/api/results.ts';
import { simulatedTotal, type MachineInfo, type ReportRun } from '../run-info.ts';
import type { Digest } from './digest.ts';
import { MARK, scenarioHtml } from './scenario-html.ts';
import { REPORT_JS } from './script.ts';
import { REPORT_CSS } from './style.ts';
import { duration, esc } from './text.ts';

export { esc } from './text.ts';

/** What the page shows besides the run's results. */
export interface RenderOptions {
  /** Screenshot files, relative to the report folder (`screenshots/x.png`). */
  screenshots?: readonly string[];
}

function machine(m: MachineInfo | undefined): string {
  return m ? `${esc(m.host)} · ${esc(m.os)} · ${esc(m.cpu)} × ${m.cores} · ${m.memoryGb} GB · node ${esc(m.node)}` : 'not recorded';
}

function summary(run: ReportRun): string {
  const t = run.totals;
  const sim = simulatedTotal(run);
  const rows: [string, string][] = [
    ['scenarios', `${run.scenarios.length}`],
    ['wall time', `${duration(run.wallMs)}${run.shards ? ' (longest shard; the shards ran side by side)' : ''}`],
    ['simulated time', `${duration(sim)}${run.wallMs > 0 && run.mode === 'virtual' ? ` (${Math.round(sim / run.wallMs).toLocaleString('en')}× real time)` : ''}`],
    ['mode', run.mode],
  ];
  if (run.startedAt !== undefined) rows.push(['started', esc(isoTime(run.startedAt))]);
  if (!run.shards) rows.push(['machine', machine(run.machine)]);
  if (run.suite) rows.push(['suite', `${run.suite.size} scenarios, fingerprint <code>${esc(run.suite.id)}</code>${run.shard ? `; this is shard ${run.shard.index}/${run.shard.count} (${run.shard.positions.length} of them)` : ''}`]);
  rows.push(['tool', `ht-hil ${esc(run.version)}`]);
  const shards = run.shards
    ? `<table class="shards"><tr><th>shard</th><th>scenarios</th><th>wall</th><th>started</th><th>machine</th><th>from</th></tr>${run.shards
        .map((s) => `<tr><td>${s.index}/${s.count}</td><td>${s.scenarios}</td><td>${duration(s.wallMs)}</td><td>${s.startedAt !== undefined ? esc(isoTime(s.startedAt)) : ''}</td><td>${machine(s.machine)}</td><td>${esc(s.from)}</td></tr>`)
        .join('')}</table>`
    : '';
  return `<section class="summary"><p class="totals"><span class="badge passed">${t.passed} passed</span> <span class="badge failed">${t.failed} failed</span> <span class="badge error">${t.error} errors</span> <span class="badge skipped">${t.skipped} skipped</span></p>
<table class="facts">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>${shards}</section>`;
}

function screenshots(files: readonly string[]): string {
  if (!files.length) return '';
  const figs = files.map((f) => `<figure><a href="${esc(f)}"><img src="${esc(f)}" alt="${esc(f)}" loading="lazy" width="320"></a><figcaption><a href="${esc(f)}">${esc(f)}</a></figcaption></figure>`);
  return `<section class="screenshots"><h2>Screenshots</h2><div class="shots">${figs.join('')}</div></section>`;
}

function rank(s: ScenarioResult): number {
  return { error: 0, failed: 1, passed: 2, skipped: 3 }[s.verdict];
}

/** The whole report as one HTML document. `digests[i]` belongs to `run.scenarios[i]`. */
export function renderHtmlReport(run: ReportRun, digests: readonly (Digest | undefined)[], options: RenderOptions = {}): string {
  const t = run.totals;
  const order = run.scenarios.map((s, i) => ({ s, i })).sort((a, b) => rank(a.s) - rank(b.s) || a.i - b.i);
  const index = order.map(({ s, i }) => `<li data-verdict="${s.verdict}"><a href="#s${i}"><span class="badge ${s.verdict}">${MARK[s.verdict]}</span> ${esc(s.name)}</a></li>`).join('');
  const filters = `<div class="filters"><button type="button" data-filter="all" class="on">all ${run.scenarios.length}</button><button type="button" data-filter="bad">failed and errors ${t.failed + t.error}</button><button type="button" data-filter="passed">passed ${t.passed}</button><button type="button" data-filter="skipped">skipped ${t.skipped}</button> <input type="search" class="find" placeholder="filter by name"></div>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ht-hil report: ${t.passed} passed, ${t.failed + t.error} failed</title><style>${REPORT_CSS}</style></head>
<body><header><h1>ht-hil report</h1>${summary(run)}${screenshots(options.screenshots ?? [])}</header>
<nav>${filters}<ol class="index">${index}</ol></nav>
<main>${order.map(({ s, i }) => scenarioHtml(s, i, digests[i])).join('\n')}</main>
<script>${REPORT_JS}</script></body></html>
`;
}
