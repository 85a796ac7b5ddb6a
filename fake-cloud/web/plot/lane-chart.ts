/**
 * On/off states over time as one inline SVG string: one lane per item (a capacitor step), a
 * filled span where it was on, a light span where it was off, nothing where its state is
 * unknown; the local-time axis of `time-chart.ts`. Spans carry their data:
 * `g.lane[data-lane] rect.span[data-from][data-to][data-state="on"|"off"]`.
 */
import { escapeHtml } from '../html.ts';
import { localDateTime } from './ticks.ts';
import { timeAxis } from './time-chart.ts';

export interface Lane {
  name: string;
  color: string;
  /** Spans `[from, to)`; `on: null` (state unknown) draws nothing. */
  spans: readonly { from: number; to: number; on: boolean | null }[];
}

export interface LaneChartSpec {
  id: string;
  title: string;
  description?: string;
  width?: number;
  /** Room left of the lanes for their names (default 58). */
  labelWidth?: number;
  x: { from: number; to: number; utcOffsetMin: number };
  lanes: readonly Lane[];
}

const LANE = 20;
const GAP = 4;
const MARGIN = { top: 8, right: 18, bottom: 46, left: 58 };

const r2 = (v: number) => Math.round(v * 100) / 100;
const esc = escapeHtml;

/**
 * Turns samples of a state (each held until the next sample, the last until `to`) into spans.
 * A sample with `on: null` leaves a gap until the next sample.
 */
export function spansFromSamples(samples: readonly { at: number; on: boolean | null }[], to: number): Lane['spans'] {
  const out: { from: number; to: number; on: boolean | null }[] = [];
  samples.forEach((s, i) => {
    const end = samples[i + 1]?.at ?? to;
    if (end <= s.at) return;
    const last = out.at(-1);
    if (last && last.on === s.on && last.to === s.at) last.to = end;
    else out.push({ from: s.at, to: end, on: s.on });
  });
  return out;
}

/** The SVG markup of a lane chart (see the module header). */
export function laneChart(spec: LaneChartSpec): string {
  const W = spec.width ?? 960;
  const H = MARGIN.top + Math.max(1, spec.lanes.length) * (LANE + GAP) + MARGIN.bottom;
  const plot = { x0: spec.labelWidth ?? MARGIN.left, x1: W - MARGIN.right, y0: MARGIN.top, y1: H - MARGIN.bottom };
  const { from, to, utcOffsetMin: off } = spec.x;
  const span = Math.max(1, to - from);
  const xOf = (t: number) => r2(plot.x0 + ((Math.min(Math.max(t, from), to) - from) / span) * (plot.x1 - plot.x0));
  const id = esc(spec.id);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="plot lanes" id="${id}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${id}-title${spec.description ? ` ${id}-desc` : ''}"` +
      ` data-x-from="${from}" data-x-to="${to}" data-utc-offset-min="${off}">`,
  );
  out.push(`<title id="${id}-title">${esc(spec.title)}</title>`);
  if (spec.description) out.push(`<desc id="${id}-desc">${esc(spec.description)}</desc>`);
  spec.lanes.forEach((lane, i) => {
    const y = plot.y0 + i * (LANE + GAP);
    out.push(`<g class="lane" data-lane="${esc(lane.name)}"><text x="${plot.x0 - 6}" y="${y + 14}" text-anchor="end" font-size="11" fill="#444">${esc(lane.name)}</text>`);
    out.push(`<rect x="${plot.x0}" y="${y}" width="${r2(plot.x1 - plot.x0)}" height="${LANE}" fill="#fafafa" stroke="#eee"/>`);
    for (const s of lane.spans) {
      if (s.on === null || s.to <= from || s.from >= to) continue;
      const x = xOf(s.from);
      const w = Math.max(0.5, xOf(s.to) - x);
      const label = `${lane.name} ${s.on ? 'on' : 'off'}, ${localDateTime(s.from, off)} – ${localDateTime(s.to, off)}`;
      out.push(
        `<rect class="span" x="${x}" y="${y + (s.on ? 2 : 8)}" width="${r2(w)}" height="${s.on ? LANE - 4 : LANE - 16}" fill="${s.on ? esc(lane.color) : '#d5d5d5'}"` +
          ` data-from="${s.from}" data-to="${s.to}" data-state="${s.on ? 'on' : 'off'}"><title>${esc(label)}</title></rect>`,
      );
    }
    out.push(`</g>`);
  });
  if (spec.lanes.length === 0) out.push(`<text class="no-data" x="${r2((plot.x0 + plot.x1) / 2)}" y="${plot.y0 + 14}" text-anchor="middle" font-size="14" fill="#777">No data in this period</text>`);
  out.push(timeAxis({ ...plot, height: H }, spec.x, xOf));
  out.push(`</svg>`);
  return out.join('');
}
