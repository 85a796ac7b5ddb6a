/**
 * Plots of a scenario's readings as inline SVG: time on x (clock UTC, with ticks at round
 * intervals), value on y (round ticks, grid), the series as a line with its points titled.
 */
import type { Series } from '../../scenarios/api/results.ts';
import { esc } from './text.ts';

const W = 560;
const H = 200;
const LEFT = 64;
const RIGHT = 28;
const TOP = 14;
const BOTTOM = 28;
const MAX_DOTS = 200;

const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800].map((s) => s * 1000);

/** Round tick values between lo and hi, about `n` of them. */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const out: number[] = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

function timeTicks(x0: number, x1: number): number[] {
  const step = TIME_STEPS.find((s) => (x1 - x0) / s <= 6) ?? 86_400_000 * Math.ceil((x1 - x0) / 86_400_000 / 6);
  const out: number[] = [];
  for (let t = Math.ceil(x0 / step) * step; t <= x1; t += step) out.push(t);
  return out;
}

function clockLabel(t: number, span: number): string {
  const iso = new Date(t).toISOString();
  return span > 86_400_000 ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : span > 600_000 ? iso.slice(11, 16) : iso.slice(11, 19);
}

function fmt(v: number, step: number): string {
  const digits = Math.max(0, Math.min(6, -Math.floor(Math.log10(step || 1))));
  return v.toFixed(digits);
}

/** One series as a figure; empty when it has fewer than two points. */
export function plotSeries(series: Series): string {
  const pts = series.points;
  if (pts.length < 2) return '';
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [x, y] of pts) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  const yt = niceTicks(y0, y1, 6);
  const ystep = yt.length > 1 ? yt[1]! - yt[0]! : 1;
  const sx = (x: number) => LEFT + ((x - x0) / (x1 - x0 || 1)) * (W - LEFT - RIGHT);
  const sy = (y: number) => H - BOTTOM - ((y - y0) / (y1 - y0)) * (H - TOP - BOTTOM);
  const path = pts.map((p, i) => `${i ? 'L' : 'M'}${sx(p[0]).toFixed(1)},${sy(p[1]).toFixed(1)}`).join('');
  const grid = yt
    .filter((v) => v >= y0 && v <= y1)
    .map((v) => `<line x1="${LEFT}" x2="${W - RIGHT}" y1="${sy(v).toFixed(1)}" y2="${sy(v).toFixed(1)}" class="grid"/><text x="${LEFT - 4}" y="${(sy(v) + 3).toFixed(1)}" class="tick" text-anchor="end">${esc(fmt(v, ystep))}</text>`)
    .join('');
  const xt = timeTicks(x0, x1)
    .map((t) => `<line x1="${sx(t).toFixed(1)}" x2="${sx(t).toFixed(1)}" y1="${H - BOTTOM}" y2="${H - BOTTOM + 4}" class="axis"/><text x="${sx(t).toFixed(1)}" y="${H - BOTTOM + 15}" class="tick" text-anchor="middle">${clockLabel(t, x1 - x0)}</text>`)
    .join('');
  const every = Math.max(1, Math.ceil(pts.length / MAX_DOTS));
  const dots = pts
    .filter((_, i) => i % every === 0 || i === pts.length - 1)
    .map((p) => `<circle cx="${sx(p[0]).toFixed(1)}" cy="${sy(p[1]).toFixed(1)}" r="2" class="dot"><title>${esc(new Date(p[0]).toISOString())}: ${p[1]}${series.unit ? ' ' + esc(series.unit) : ''}</title></circle>`)
    .join('');
  const label = `${series.name}${series.unit ? ` (${series.unit})` : ''}`;
  return `<figure class="plot"><svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(label)}">${grid}${xt}<line x1="${LEFT}" y1="${H - BOTTOM}" x2="${W - RIGHT}" y2="${H - BOTTOM}" class="axis"/><line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${H - BOTTOM}" class="axis"/><path d="${path}" class="series"/>${dots}</svg><figcaption>${esc(label)}: ${pts.length} points, ${esc(String(pts[0]![1]))} → ${esc(String(pts[pts.length - 1]![1]))}</figcaption></figure>`;
}
