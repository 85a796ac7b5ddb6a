/**
 * One scenario's section of report.html: verdict, where its first failure points (line, time,
 * bytes, with a link to the frame in the timeline), its expectations (failing first, each
 * piece of evidence with its bytes and a link to its frame), plots, and the timeline.
 */
import { isoTime } from '../../core/clock/index.ts';
import type { Evidence, ExpectationResult, ScenarioResult } from '../../scenarios/api/results.ts';
import type { Digest } from './digest.ts';
import { plotSeries } from './plot.ts';
import { duration, esc, hexWithMark, relative } from './text.ts';

/** The verdict signs of the index and the badges. */
export const MARK = { passed: '✓', failed: '✗', error: '!', skipped: '–' } as const;

function where(ev: Evidence, start: number): string {
  return [
    ev.line && `line <b>${esc(ev.line)}</b>`,
    ev.time !== undefined && `at ${esc(isoTime(ev.time))} (${relative(ev.time - start)})`,
    ev.offset !== undefined && `byte ${ev.offset}`,
  ]
    .filter(Boolean)
    .join(', ');
}

function frameLink(i: number, digest: Digest | undefined, exp: number, ev: number, label = 'show the frame in the timeline'): string {
  const link = digest?.links.find((l) => l.exp === exp && l.ev === ev);
  return link ? ` <a href="#s${i}" class="goto" data-s="${i}" data-k="${link.k}">${label}</a>` : '';
}

function evidenceItem(ev: Evidence, s: ScenarioResult, i: number, digest: Digest | undefined, exp: number, n: number): string {
  const hex = ev.hex ? `<div class="hex">${hexWithMark(ev.hex, ev.offset)}</div>` : '';
  return `<li class="evidence">${where(ev, s.startTime)}${ev.detail ? ` — ${esc(ev.detail)}` : ''}${frameLink(i, digest, exp, n)}${hex}</li>`;
}

function expectationList(s: ScenarioResult, i: number, digest: Digest | undefined): string {
  const sorted = s.expectations.map((e, exp) => ({ e, exp })).sort((a, b) => Number(a.e.passed) - Number(b.e.passed) || a.exp - b.exp);
  const items = sorted.map(({ e, exp }) => {
    const ev = (e.evidence ?? []).map((x, n) => evidenceItem(x, s, i, digest, exp, n)).join('');
    return `<li class="${e.passed ? 'ok' : 'bad'}"><span class="mark">${e.passed ? '✓' : '✗'}</span> ${esc(e.name)}${e.message ? `<div class="msg">${esc(e.message)}</div>` : ''}${ev ? `<ul>${ev}</ul>` : ''}</li>`;
  });
  return items.length ? `<ul class="expectations">${items.join('')}</ul>` : '';
}

/** The first failed expectation and its first piece of evidence, as a box at the top. */
function firstFailure(s: ScenarioResult, i: number, digest: Digest | undefined): string {
  const exp = s.expectations.findIndex((e) => !e.passed);
  if (exp < 0) return s.verdict === 'error' && s.reason ? `<div class="first-failure"><b>Error:</b> ${esc(s.reason)}</div>` : '';
  const e: ExpectationResult = s.expectations[exp]!;
  const ev = e.evidence?.[0];
  const at = ev ? `<div>${where(ev, s.startTime) || 'no line or time given'}${frameLink(i, digest, exp, 0, 'show the frame and its bytes')}</div>${ev.hex ? `<div class="hex">${hexWithMark(ev.hex, ev.offset)}</div>` : ''}` : '<div>no evidence attached</div>';
  return `<div class="first-failure"><b>First failure:</b> ${esc(e.name)}${e.message ? ` — <span class="msg">${esc(e.message)}</span>` : ''}${at}</div>`;
}

function timelineSection(i: number, digest: Digest): string {
  const json = JSON.stringify(digest).replace(/</g, '\\u003c');
  return `<section class="timeline" data-d="d${i}">
<div class="controls"><button type="button" data-act="in" title="zoom in">+</button><button type="button" data-act="out" title="zoom out">−</button><button type="button" data-act="left" title="earlier">◀</button><button type="button" data-act="right" title="later">▶</button><button type="button" data-act="fit">whole run</button>
<label>activity <select class="window"></select></label> <span class="range"></span> <span class="count"></span></div>
<div class="svgbox" title="Ctrl+wheel or double-click to zoom, drag to pan, click a frame for its bytes"></div>
<div class="legend"><span class="lg tx"></span>sent <span class="lg rx"></span>received differently <span class="lg err"></span>broke a rule <span class="lg fault"></span>fault / scenario step <span class="lg rec"></span>cloud record <span class="lg notify"></span>notification <span class="lg state-ok"></span><span class="lg state-bad"></span>state</div>
<pre class="detail">Click a frame to see its bytes.</pre>
<div class="frames"></div>
</section>
<script type="application/json" id="d${i}">${json}</script>`;
}

/** A scenario as a `<details>` element with id `s<i>`; failing and erroring ones are open. */
export function scenarioHtml(s: ScenarioResult, i: number, digest: Digest | undefined): string {
  const stats = Object.entries(s.stats ?? {}).map(([k, v]) => `${esc(k)} ${v}`).join(' · ');
  const plots = (s.series ?? []).map(plotSeries).join('');
  const sampled = digest && (digest.omitted || digest.omittedEvents) ? `<p class="meta">The timeline shows ${digest.frames.length} of ${digest.frames.length + digest.omitted} frames and ${digest.events.length} of ${digest.events.length + digest.omittedEvents} events (those near failures, the faulty ones, then an even sample); the trace file has every byte.</p>` : '';
  const open = s.verdict === 'failed' || s.verdict === 'error';
  return `<details class="scenario ${s.verdict}" data-verdict="${s.verdict}" ${open ? 'open' : ''} id="s${i}">
<summary><span class="badge ${s.verdict}">${MARK[s.verdict]} ${s.verdict}</span> ${esc(s.name)} <span class="when">${duration(s.simulatedMs)} simulated in ${duration(s.wallMs)}</span></summary>
<p class="meta">${s.file ? `${esc(s.file)} · ` : ''}${s.mode} · from ${esc(isoTime(s.startTime))}${s.trace ? ` · trace <a href="${esc(s.trace)}">${esc(s.trace)}</a>` : ''}</p>
${firstFailure(s, i, digest)}${s.reason && s.verdict !== 'error' ? `<p class="reason">${esc(s.reason)}</p>` : ''}${stats ? `<p class="stats">${stats}</p>` : ''}
${expectationList(s, i, digest)}${plots ? `<div class="plots">${plots}</div>` : ''}${sampled}${digest ? timelineSection(i, digest) : ''}</details>`;
}
