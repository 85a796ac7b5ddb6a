/**
 * The dashboard's charts, made from the reports: consumption per hour of a day and per day of a
 * month (stacked by tariff when the meter sends tariff registers), the reactive ratio per day of
 * a month against the limit lines, and each compensation relay's capacitor steps over a day.
 * Each chart comes with its figures as a table (in a `<details>`), for screen readers and for
 * copying.
 */
import type { ConsumptionReport, ReactiveReport, RelaySteps } from '../reports/index.ts';
import { html, join, raw, type Html } from './html.ts';
import { laneChart, spansFromSamples } from './plot/lane-chart.ts';
import { localDateTime } from './plot/ticks.ts';
import { formatValue, timeChart, type BarSeries } from './plot/time-chart.ts';

/** Colours of the series (readable on white, distinguishable in grey). */
export const COLORS = {
  total: '#2f6db5',
  tariffs: { T1: '#e0a526', T2: '#c4452c', T3: '#3b5f8f', T4: '#6b9e45' } as Record<string, string>,
  inductive: '#d9731a',
  capacitive: '#2f6db5',
  kvar: '#3c8d40',
  step: '#3c8d40',
};

/** Room for lane names such as `Step 12 (12.5 kvar)`; the kvar chart above uses the same, so the time axes line up. */
const LANE_LABELS = 120;

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '–' : formatValue(v));

function figures(caption: string, head: readonly string[], rows: readonly (readonly (string | Html)[])[]): Html {
  return html`<details class="figures"><summary>${caption}: figures</summary><table><caption>${caption}</caption>
<thead><tr>${head.map((h, i) => html`<th scope="col"${i > 0 ? html` class="num"` : ''}>${h}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : html`<td class="num">${c}</td>`))}</tr>`)}</tbody></table></details>`;
}

/**
 * Consumption bars over `[x.from, x.to]` (a day or a month): one bar per bucket, stacked by
 * tariff register when every bucket with a total has its tariff figures, else the totals.
 */
export function consumptionChart(r: ConsumptionReport, o: { id: string; title: string; x: { from: number; to: number } }): Html {
  const off = r.utcOffsetMin;
  const tariffs = Object.keys(r.tariffTotals);
  const byTariff = tariffs.length > 0 && r.buckets.every((b) => b.kwh === null || tariffs.every((t) => b.tariffs[t] !== null && b.tariffs[t] !== undefined));
  const drawn = tariffs.filter((t) => (r.tariffTotals[t] ?? 0) !== 0 || r.buckets.some((b) => (b.tariffs[t] ?? 0) !== 0));
  const series: BarSeries[] = byTariff && drawn.length
    ? drawn.map((t) => ({ name: t, color: COLORS.tariffs[t] ?? '#888', buckets: r.buckets.map((b) => ({ from: b.from, to: b.to, value: b.kwh === null ? null : (b.tariffs[t] ?? null) })) }))
    : [{ name: 'Active energy', color: COLORS.total, buckets: r.buckets.map((b) => ({ from: b.from, to: b.to, value: b.kwh })) }];
  const svg = timeChart({
    id: o.id,
    title: o.title,
    description: `Active energy drawn by meter ${r.meterSerial} per ${r.bucket}${byTariff && drawn.length ? ', stacked by tariff' : ''}; total ${fmt(r.totalKwh)} kWh.`,
    x: { ...o.x, utcOffsetMin: off },
    y: { unit: 'kWh' },
    bars: { mode: 'stacked', series },
  });
  const label = (t: number) => (r.bucket === 'hour' ? localDateTime(t, off).slice(11) : localDateTime(t, off).slice(0, 10));
  const rows = r.buckets.map((b) => [
    label(b.from),
    fmt(b.kwh),
    ...tariffs.map((t) => fmt(b.tariffs[t])),
    b.open ? 'not over yet' : b.incomplete.length ? b.incomplete.join('; ') : '',
  ]);
  return html`<figure class="chart">${raw(svg)}<figcaption>Total ${fmt(r.totalKwh)} kWh${tariffs.length ? html` (${join(tariffs.map((t) => `${t} ${fmt(r.tariffTotals[t])}`), ', ')})` : ''}, meter ${r.meterSerial}.</figcaption>
${figures(o.title, [r.bucket === 'hour' ? 'Hour' : 'Day', 'kWh', ...tariffs.map((t) => `${t} kWh`), 'Note'], rows)}</figure>`;
}

/** Inductive and capacitive % per day of the month, side by side, with the two limit lines. */
export function reactiveChart(r: ReactiveReport, o: { id: string }): Html {
  const off = r.utcOffsetMin;
  const title = `Reactive ratio per day, ${r.month}`;
  const days = (pick: (d: ReactiveReport['days'][number]) => number | null) => r.days.map((d) => ({ from: d.from, to: d.to, value: pick(d) }));
  const svg = timeChart({
    id: o.id,
    title,
    description: `Inductive and capacitive reactive energy as % of active energy per day for meter ${r.meterSerial}; limits ${r.limits.inductivePct} % inductive and ${r.limits.capacitivePct} % capacitive (${r.limits.appliesTo}).`,
    x: { from: r.from, to: r.to, utcOffsetMin: off },
    y: { unit: '%' },
    bars: {
      mode: 'grouped',
      series: [
        { name: 'Inductive', color: COLORS.inductive, buckets: days((d) => d.inductivePct) },
        { name: 'Capacitive', color: COLORS.capacitive, buckets: days((d) => d.capacitivePct) },
      ],
    },
    limits: [
      { name: 'Inductive limit', value: r.limits.inductivePct, color: COLORS.inductive },
      { name: 'Capacitive limit', value: r.limits.capacitivePct, color: COLORS.capacitive },
    ],
  });
  const rows = r.days.map((d) => [d.label.split('-').reverse().join('.'), fmt(d.activeKwh), fmt(d.inductivePct), fmt(d.capacitivePct), [d.overInductive ? 'inductive over the limit' : '', d.overCapacitive ? 'capacitive over the limit' : ''].filter(Boolean).join(', ')]);
  const f = r.forecast;
  return html`<figure class="chart">${raw(svg)}<figcaption>
${r.closed ? 'Month' : 'Month to date'}: inductive ${fmt(r.ratio.inductivePct)} %, capacitive ${fmt(r.ratio.capacitivePct)} % of ${fmt(r.ratio.activeKwh)} kWh.
${f ? html`Forecast for the month end: inductive ${fmt(f.inductivePct)} %, capacitive ${fmt(f.capacitivePct)} %.` : ''}
Limits: ${r.limits.inductivePct} % inductive, ${r.limits.capacitivePct} % capacitive (${r.limits.appliesTo}; ${r.limits.article}).</figcaption>
${figures(title, ['Day', 'Active kWh', 'Inductive %', 'Capacitive %', 'Over the limit'], rows)}</figure>`;
}

/** Per compensation relay: switched-in kvar over time (stepped) and each step on/off. */
export function capacitorCharts(relays: readonly RelaySteps[], o: { id: string; x: { from: number; to: number }; utcOffsetMin: number }): Html {
  if (relays.length === 0) return html`<p class="muted">No compensation relay readings in this period.</p>`;
  const off = o.utcOffsetMin;
  return join(
    relays.map((relay, i) => {
      const name = `Relay ${relay.model ?? ''} at ${relay.port} address ${relay.address}`.replace(/\s+/g, ' ');
      const x = { ...o.x, utcOffsetMin: off };
      const kvar = timeChart({
        id: `${o.id}-${i}-kvar`,
        title: `${name}: switched-in capacitor power`,
        description: 'Sum of the powers of the capacitor steps switched in, at each reading; it holds until the next reading.',
        x,
        labelWidth: LANE_LABELS,
        y: { unit: 'kvar' },
        lines: [{ name: 'Switched-in kvar', color: COLORS.kvar, curve: 'step', points: relay.samples.map((s) => ({ t: s.at, value: s.onKvar })) }],
      });
      const numbers = relay.steps.map((s) => s.n);
      // The last reading holds for one more reading interval (or to the end of the axis).
      const last = relay.samples.at(-1)?.at ?? o.x.to;
      const prev = relay.samples.at(-2)?.at ?? last;
      const end = Math.min(o.x.to, last + (last - prev));
      const lanes = laneChart({
        id: `${o.id}-${i}-steps`,
        title: `${name}: capacitor steps on and off`,
        x,
        labelWidth: LANE_LABELS,
        lanes: numbers.map((n) => {
          const kv = relay.steps.find((s) => s.n === n)?.kvar;
          return {
            name: `Step ${n}${kv !== null && kv !== undefined ? ` (${formatValue(kv)} kvar)` : ''}`,
            color: COLORS.step,
            spans: spansFromSamples(relay.samples.map((s) => ({ at: s.at, on: s.missing ? null : (s.steps.find((st) => st.n === n)?.on ?? null) })), end),
          };
        }),
      });
      const rows = relay.samples.map((s) => [localDateTime(s.at, off), s.missing ? s.missing : s.steps.filter((st) => st.on).map((st) => st.n).join(' ') || 'none', fmt(s.onKvar), fmt(s.cosphi)]);
      const summary = relay.steps.map((s) => `step ${s.n}: ${s.switchOns} switch-on${s.switchOns === 1 ? '' : 's'}, in ${s.onShare === null ? '–' : `${Math.round(s.onShare * 100)} %`} of the time`);
      return html`<section class="relay" aria-labelledby="${o.id}-${i}-h"><h3 id="${o.id}-${i}-h">${name}</h3>
<figure class="chart">${raw(kvar)}${raw(lanes)}<figcaption>${summary.join('; ')}${relay.truncated ? ' (oldest readings left out)' : ''}.</figcaption>
${figures(`${name}: readings`, ['Time', 'Steps in', 'kvar in', 'cos φ'], rows)}</figure></section>`;
    }),
  );
}
