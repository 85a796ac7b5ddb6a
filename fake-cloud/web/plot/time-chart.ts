/**
 * A chart over time as one inline SVG string: bars per time bucket (grouped or stacked), lines
 * (straight or stepped, broken where a value is missing), horizontal limit lines, a value axis
 * with round ticks and grid, a local-time axis (ticks from `ticks.ts`, captioned with the UTC
 * offset) and a legend. Accessible: `role="img"` named by `<title>` and `<desc>`; every bar and
 * point carries its own `<title>` (time and value).
 *
 * Every drawn datum carries its data as attributes, so a reader (or a test) can check what is
 * drawn without parsing geometry: bars `rect.bar[data-from][data-to][data-value]`, points
 * `circle.point[data-t][data-value]`, series `g.series[data-series]`, limits
 * `g.limit[data-value]`, ticks `g.tick[data-t]` / `g.tick[data-value]`.
 */
import { escapeHtml } from '../html.ts';
import { localDateTime, niceTicks, offsetName, tickLabel, timeTicks } from './ticks.ts';


/** Values per time bucket `[from, to)`; a null value draws no bar. */
export interface BarSeries {
  name: string;
  color: string;
  buckets: readonly { from: number; to: number; value: number | null }[];
}

/** Values at instants; a null value breaks the line. `step`: each value holds until the next point. */
export interface LineSeries {
  name: string;
  color: string;
  points: readonly { t: number; value: number | null }[];
  curve?: 'linear' | 'step';
  /** Draw a dot per point (default: when there are at most 200). */
  dots?: boolean;
}

/** A horizontal line at a fixed value (a tariff limit), labelled at the right end. */
export interface LimitLine {
  name: string;
  value: number;
  color: string;
}

export interface TimeChartSpec {
  /** Prefix of the element ids (unique on the page). */
  id: string;
  /** The chart's accessible name. */
  title: string;
  /** One sentence saying what the chart shows (read by screen readers). */
  description?: string;
  /** Size of the drawing in CSS pixels (default 960 × 280); it scales with its box. */
  width?: number;
  height?: number;
  /** Room left of the plot for the value labels (default 58); equal values align stacked charts. */
  labelWidth?: number;
  /** The time axis `[from, to]` (clock ms) and the local offset of its labels. */
  x: { from: number; to: number; utcOffsetMin: number };
  /** The value axis: unit shown on it; `min`/`max` widen (never narrow) the data's range. */
  y: { unit: string; min?: number; max?: number };
  bars?: { mode: 'grouped' | 'stacked'; series: readonly BarSeries[] };
  lines?: readonly LineSeries[];
  limits?: readonly LimitLine[];
}

const MARGIN = { top: 30, right: 18, bottom: 46, left: 58 };
const MAX_DOTS = 200;

const r2 = (v: number) => Math.round(v * 100) / 100;
const esc = escapeHtml;

/**
 * The time axis of a plot area `[x0, x1] × [y0, y1]` in a drawing `height` high: base line,
 * local-time ticks (about one per 80 px) and the caption naming the UTC offset.
 */
export function timeAxis(plot: { x0: number; x1: number; y1: number; height: number }, x: TimeChartSpec['x'], xOf: (t: number) => number): string {
  const out: string[] = [];
  const maxTicks = Math.max(2, Math.floor((plot.x1 - plot.x0) / 80));
  out.push(`<g class="axis axis-x" font-size="11" fill="#444"><line x1="${plot.x0}" x2="${plot.x1}" y1="${plot.y1}" y2="${plot.y1}" stroke="#888"/>`);
  for (const tk of timeTicks(x.from, x.to, x.utcOffsetMin, maxTicks)) {
    const px = xOf(tk.t);
    out.push(`<g class="tick" data-t="${tk.t}"><line x1="${px}" x2="${px}" y1="${plot.y1}" y2="${plot.y1 + 5}" stroke="#888"/><text x="${px}" y="${plot.y1 + 18}" text-anchor="middle">${esc(tk.label)}</text></g>`);
  }
  out.push(`<text class="axis-label" x="${r2((plot.x0 + plot.x1) / 2)}" y="${plot.height - 8}" text-anchor="middle">Local time (${offsetName(x.utcOffsetMin)})</text></g>`);
  return out.join('');
}

/** A bucket in words: `05.01.2026 13:00 – 14:00`, or its day(s) `05.01.2026`, `01.01.2026 – 31.01.2026`. */
export function bucketName(from: number, to: number, utcOffsetMin: number): string {
  const a = localDateTime(from, utcOffsetMin);
  if (to - from < 86_400_000) return `${a} – ${localDateTime(to, utcOffsetMin).slice(11)}`;
  const b = localDateTime(to - 1, utcOffsetMin).slice(0, 10);
  return a.slice(0, 10) === b ? b : `${a.slice(0, 10)} – ${b}`;
}

/** Number shown in titles: at most 3 decimals, no trailing zeros. */
export function formatValue(v: number): string {
  return String(Number(v.toFixed(3)));
}

/** The SVG markup of a time chart (see the module header for its elements). */
export function timeChart(spec: TimeChartSpec): string {
  const W = spec.width ?? 960;
  const H = spec.height ?? 280;
  const plot = { x0: spec.labelWidth ?? MARGIN.left, x1: W - MARGIN.right, y0: MARGIN.top, y1: H - MARGIN.bottom };
  const { from, to, utcOffsetMin: off } = spec.x;
  const span = Math.max(1, to - from);
  const xOf = (t: number) => r2(plot.x0 + ((t - from) / span) * (plot.x1 - plot.x0));

  const bars = spec.bars?.series ?? [];
  const lines = spec.lines ?? [];
  const limits = spec.limits ?? [];
  const values: number[] = [];
  if (spec.bars?.mode === 'stacked') {
    const up = new Map<number, number>();
    const down = new Map<number, number>();
    for (const s of bars) for (const b of s.buckets) if (b.value !== null) (b.value >= 0 ? up : down).set(b.from, ((b.value >= 0 ? up : down).get(b.from) ?? 0) + b.value);
    values.push(...up.values(), ...down.values());
  } else for (const s of bars) for (const b of s.buckets) if (b.value !== null) values.push(b.value);
  for (const l of lines) for (const p of l.points) if (p.value !== null && p.t >= from && p.t <= to) values.push(p.value);
  const hasData = values.length > 0;
  const lo = Math.min(0, ...values, ...limits.map((l) => l.value), spec.y.min ?? 0);
  const hi = Math.max(...(hasData ? values : [1]), ...limits.map((l) => l.value), spec.y.max ?? -Infinity, lo + 1e-9);
  const yTicks = niceTicks(lo, hi, 5);
  const yMin = yTicks[0]!;
  const yMax = yTicks.at(-1)!;
  const yOf = (v: number) => r2(plot.y1 - ((v - yMin) / (yMax - yMin)) * (plot.y1 - plot.y0));

  const id = esc(spec.id);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot" id="${id}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-title${spec.description ? ` ${id}-desc` : ''}"` +
      ` data-x-from="${from}" data-x-to="${to}" data-y-min="${yMin}" data-y-max="${yMax}" data-utc-offset-min="${off}">`,
  );
  out.push(`<title id="${id}-title">${esc(spec.title)}</title>`);
  if (spec.description) out.push(`<desc id="${id}-desc">${esc(spec.description)}</desc>`);

  // Value axis and grid.
  out.push(`<g class="axis axis-y" font-size="11" fill="#444">`);
  for (const v of yTicks) {
    const y = yOf(v);
    out.push(`<g class="tick" data-value="${v}"><line x1="${plot.x0}" x2="${plot.x1}" y1="${y}" y2="${y}" stroke="${v === 0 ? '#888' : '#e3e3e3'}"/><text x="${plot.x0 - 6}" y="${r2(y + 4)}" text-anchor="end">${esc(tickLabel(v, yTicks))}</text></g>`);
  }
  out.push(`<text class="axis-label" x="${plot.x0 - 44}" y="${r2((plot.y0 + plot.y1) / 2)}" text-anchor="middle" transform="rotate(-90 ${plot.x0 - 44} ${r2((plot.y0 + plot.y1) / 2)})">${esc(spec.y.unit)}</text></g>`);

  out.push(timeAxis({ ...plot, height: H }, spec.x, xOf));

  // Bars.
  const stackUp = new Map<number, number>();
  const stackDown = new Map<number, number>();
  bars.forEach((s, i) => {
    out.push(`<g class="series bars" data-series="${esc(s.name)}" fill="${esc(s.color)}">`);
    for (const b of s.buckets) {
      if (b.value === null || b.to <= from || b.from >= to) continue;
      const slot0 = xOf(Math.max(b.from, from));
      const slot1 = xOf(Math.min(b.to, to));
      const inner = (slot1 - slot0) * 0.8;
      let x = slot0 + (slot1 - slot0) * 0.1;
      let w = inner;
      let base = 0;
      if (spec.bars!.mode === 'grouped') {
        w = inner / bars.length;
        x += w * i;
      } else {
        const stack = b.value >= 0 ? stackUp : stackDown;
        base = stack.get(b.from) ?? 0;
        stack.set(b.from, base + b.value);
      }
      const ya = yOf(base);
      const yb = yOf(base + b.value);
      const label = `${s.name}, ${bucketName(b.from, b.to, off)}: ${formatValue(b.value)} ${spec.y.unit}`;
      out.push(
        `<rect class="bar" x="${r2(x)}" y="${Math.min(ya, yb)}" width="${r2(Math.max(w, 0.5))}" height="${r2(Math.max(Math.abs(yb - ya), b.value === 0 ? 0 : 0.5))}"` +
          ` data-from="${b.from}" data-to="${b.to}" data-value="${b.value}"><title>${esc(label)}</title></rect>`,
      );
    }
    out.push(`</g>`);
  });

  // Limit lines.
  if (limits.length) {
    out.push(`<g class="limits" font-size="11">`);
    for (const l of limits) {
      const y = yOf(l.value);
      out.push(
        `<g class="limit" data-series="${esc(l.name)}" data-value="${l.value}"><line x1="${plot.x0}" x2="${plot.x1}" y1="${y}" y2="${y}" stroke="${esc(l.color)}" stroke-width="1.5" stroke-dasharray="6 4"/>` +
          `<text x="${plot.x1 - 2}" y="${r2(y - 4)}" text-anchor="end" fill="${esc(l.color)}">${esc(l.name)}: ${formatValue(l.value)} ${esc(spec.y.unit)}</text></g>`,
      );
    }
    out.push(`</g>`);
  }

  // Lines.
  for (const l of lines) {
    const pts = l.points.filter((p) => p.t >= from && p.t <= to);
    let d = '';
    let open = false;
    for (const p of pts) {
      if (p.value === null) {
        open = false;
        continue;
      }
      const x = xOf(p.t);
      const y = yOf(p.value);
      if (!open) d += `M${x} ${y}`;
      else d += l.curve === 'step' ? `H${x}V${y}` : `L${x} ${y}`;
      open = true;
    }
    out.push(`<g class="series line" data-series="${esc(l.name)}"><path d="${d}" fill="none" stroke="${esc(l.color)}" stroke-width="2"/>`);
    if (l.dots ?? pts.length <= MAX_DOTS) {
      for (const p of pts) {
        if (p.value === null) continue;
        out.push(
          `<circle class="point" cx="${xOf(p.t)}" cy="${yOf(p.value)}" r="3" fill="${esc(l.color)}" data-t="${p.t}" data-value="${p.value}"><title>${esc(`${l.name}, ${localDateTime(p.t, off)}: ${formatValue(p.value)} ${spec.y.unit}`)}</title></circle>`,
        );
      }
    }
    out.push(`</g>`);
  }

  if (!hasData) out.push(`<text class="no-data" x="${r2((plot.x0 + plot.x1) / 2)}" y="${r2((plot.y0 + plot.y1) / 2)}" text-anchor="middle" font-size="14" fill="#777">No data in this period</text>`);

  // Legend.
  out.push(`<g class="legend" font-size="12">`);
  let lx = plot.x0;
  const items = [
    ...bars.map((s) => ({ name: s.name, color: s.color, kind: 'bar' })),
    ...lines.map((s) => ({ name: s.name, color: s.color, kind: 'line' })),
    ...limits.map((s) => ({ name: s.name, color: s.color, kind: 'limit' })),
  ];
  for (const it of items) {
    const swatch =
      it.kind === 'bar'
        ? `<rect x="${lx}" y="8" width="12" height="12" fill="${esc(it.color)}"/>`
        : `<line x1="${lx}" x2="${lx + 14}" y1="14" y2="14" stroke="${esc(it.color)}" stroke-width="2"${it.kind === 'limit' ? ' stroke-dasharray="4 3"' : ''}/>`;
    out.push(`<g class="legend-item" data-series="${esc(it.name)}">${swatch}<text x="${lx + 18}" y="18">${esc(it.name)}</text></g>`);
    lx += 18 + it.name.length * 7 + 16;
  }
  out.push(`</g></svg>`);
  return out.join('');
}
