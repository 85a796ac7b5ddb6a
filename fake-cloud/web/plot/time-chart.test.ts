import { describe, expect, it } from 'vitest';
import { laneChart, spansFromSamples } from './lane-chart.ts';
import { bucketName, timeChart, type BarSeries } from './time-chart.ts';

const H = 3_600_000;
const DAY0 = Date.UTC(2026, 0, 4, 21);
const x = { from: DAY0, to: DAY0 + 24 * H, utcOffsetMin: 180 };

type Attrs = Record<string, string>;
/** Attributes of every element `<tag class="cls" …>` in the markup. */
function elements(svg: string, tag: string, cls: string): Attrs[] {
  const out: Attrs[] = [];
  for (const m of svg.matchAll(new RegExp(`<${tag} class="${cls}"([^>]*)>`, 'g'))) {
    const a: Attrs = {};
    for (const kv of m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)) a[kv[1]!] = kv[2]!;
    out.push(a);
  }
  return out;
}
const num = (a: Attrs, k: string) => Number(a[k]);

const hours = (values: (number | null)[]): BarSeries['buckets'] => values.map((value, i) => ({ from: DAY0 + i * H, to: DAY0 + (i + 1) * H, value }));

describe('timeChart', () => {
  it('draws one bar per known value, its height proportional to the value', () => {
    const values = Array.from({ length: 24 }, (_, i) => (i === 5 ? null : i / 2));
    const svg = timeChart({ id: 'c', title: 'Hourly', x, y: { unit: 'kWh' }, bars: { mode: 'grouped', series: [{ name: 'kWh', color: '#246', buckets: hours(values) }] } });
    const bars = elements(svg, 'rect', 'bar');
    expect(bars).toHaveLength(23);
    expect(bars.map((b) => Number(b['data-value']))).toEqual(values.filter((v) => v !== null));
    const yMax = Number(/data-y-max="([^"]+)"/.exec(svg)![1]);
    expect(yMax).toBeGreaterThanOrEqual(11.5);
    const unit = num(bars[22]!, 'height') / 11.5;
    for (const b of bars) expect(num(b, 'height')).toBeCloseTo(num(b, 'data-value') * unit, 1);
    // Bars sit in their hour, left to right.
    for (let i = 1; i < bars.length; i++) expect(num(bars[i]!, 'x')).toBeGreaterThan(num(bars[i - 1]!, 'x') + num(bars[i - 1]!, 'width'));
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title id="c-title">Hourly</title>');
    expect(svg).toContain('Local time (UTC+03:00)');
    expect(elements(svg, 'g', 'tick').filter((t) => t['data-t']).map((t) => Number(t['data-t']))).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24].map((h) => DAY0 + h * H));
  });

  it('stacks tariffs on each other', () => {
    const svg = timeChart({
      id: 's', title: 'T', x, y: { unit: 'kWh' },
      bars: { mode: 'stacked', series: [{ name: 'T1', color: '#a00', buckets: hours([2, 1]) }, { name: 'T2', color: '#0a0', buckets: hours([3, 0]) }] },
    });
    const [t1a, t1b, t2a] = elements(svg, 'rect', 'bar');
    expect(num(t2a!, 'y') + num(t2a!, 'height')).toBeCloseTo(num(t1a!, 'y'), 1);
    expect(num(t2a!, 'height') / num(t1a!, 'height')).toBeCloseTo(1.5, 1);
    expect(num(t1b!, 'height') / num(t1a!, 'height')).toBeCloseTo(0.5, 1);
    expect(Number(/data-y-max="([^"]+)"/.exec(svg)![1])).toBeGreaterThanOrEqual(5);
  });

  it('puts grouped series side by side within the bucket', () => {
    const svg = timeChart({
      id: 'g', title: 'G', x, y: { unit: '%' },
      bars: { mode: 'grouped', series: [{ name: 'Inductive', color: '#a00', buckets: hours([10]) }, { name: 'Capacitive', color: '#00a', buckets: hours([4]) }] },
      limits: [{ name: 'Inductive limit', value: 20, color: '#a00' }, { name: 'Capacitive limit', value: 15, color: '#00a' }],
    });
    const [a, b] = elements(svg, 'rect', 'bar');
    expect(num(b!, 'x')).toBeCloseTo(num(a!, 'x') + num(a!, 'width'), 1);
    // The limit lines widen the axis and sit where their value is.
    const limits = [...svg.matchAll(/<g class="limit" data-series="([^"]+)" data-value="([^"]+)"><line [^>]*y1="([^"]+)"/g)].map((m) => ({ name: m[1], value: Number(m[2]), y: Number(m[3]) }));
    expect(limits.map((l) => l.value)).toEqual([20, 15]);
    const zero = Number(/<g class="tick" data-value="0"><line [^>]*y1="([^"]+)"/.exec(svg)![1]);
    const yOfA = num(a!, 'y');
    // 10 % is half of 20 %: the bar's top is halfway between zero and the inductive limit line.
    expect(yOfA).toBeCloseTo((zero + limits[0]!.y) / 2, 0);
    expect(svg).toContain('Inductive limit: 20 %');
  });

  it('draws lines broken at missing values, stepped when asked, with titled points', () => {
    const points = [0, 1, 2, 3, 4].map((i) => ({ t: DAY0 + i * H, value: i === 2 ? null : i * 10 }));
    const linear = timeChart({ id: 'l', title: 'L', x, y: { unit: 'kvar' }, lines: [{ name: 'kvar', color: '#000', points }] });
    const d = /<g class="series line" data-series="kvar"><path d="([^"]+)"/.exec(linear)![1]!;
    expect(d.match(/M/g)).toHaveLength(2);
    expect(d).toContain('L');
    expect(elements(linear, 'circle', 'point').map((p) => Number(p['data-value']))).toEqual([0, 10, 30, 40]);
    expect(linear).toMatch(/<title>kvar, 05\.01\.2026 01:00: 10 kvar<\/title>/);
    const step = timeChart({ id: 'st', title: 'S', x, y: { unit: 'kvar' }, lines: [{ name: 'kvar', color: '#000', points, curve: 'step' }] });
    const ds = /<path d="([^"]+)"/.exec(step)![1]!;
    expect(ds).toMatch(/H[\d.]+V[\d.]+/);
    expect(ds).not.toContain('L');
  });

  it('names buckets by their hours or days', () => {
    expect(bucketName(DAY0 + 13 * H, DAY0 + 14 * H, 180)).toBe('05.01.2026 13:00 – 14:00');
    expect(bucketName(DAY0, DAY0 + 24 * H, 180)).toBe('05.01.2026');
    expect(bucketName(Date.UTC(2025, 11, 31, 21), Date.UTC(2026, 0, 31, 21), 180)).toBe('01.01.2026 – 31.01.2026');
    const svg = timeChart({ id: 'm', title: 'M', x: { ...x, to: DAY0 + 48 * H }, y: { unit: 'kWh' }, bars: { mode: 'stacked', series: [{ name: 'T1', color: '#000', buckets: [{ from: DAY0, to: DAY0 + 24 * H, value: 3 }] }] } });
    expect(svg).toContain('<title>T1, 05.01.2026: 3 kWh</title>');
  });

  it('says when there is nothing to draw, and escapes every text', () => {
    const svg = timeChart({ id: 'e"x', title: '<script>alert(1)</script>', x, y: { unit: 'k&h' }, bars: { mode: 'grouped', series: [{ name: 'a<b', color: '#000', buckets: hours([null]) }] } });
    expect(svg).toContain('No data in this period');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    expect(svg).toContain('data-series="a&lt;b"');
    expect(svg).toContain('id="e&quot;x"');
  });
});

describe('laneChart', () => {
  it('draws on and off spans per lane from samples', () => {
    const samples = [
      { at: DAY0, on: false },
      { at: DAY0 + H, on: true },
      { at: DAY0 + 2 * H, on: true },
      { at: DAY0 + 3 * H, on: null },
      { at: DAY0 + 4 * H, on: false },
    ];
    const spans = spansFromSamples(samples, DAY0 + 6 * H);
    expect(spans).toEqual([
      { from: DAY0, to: DAY0 + H, on: false },
      { from: DAY0 + H, to: DAY0 + 3 * H, on: true },
      { from: DAY0 + 3 * H, to: DAY0 + 4 * H, on: null },
      { from: DAY0 + 4 * H, to: DAY0 + 6 * H, on: false },
    ]);
    const svg = laneChart({ id: 'steps', title: 'Steps', x, lanes: [{ name: 'Step 1', color: '#080', spans }, { name: 'Step 2', color: '#080', spans: [] }] });
    const drawn = elements(svg, 'rect', 'span');
    expect(drawn.map((s) => s['data-state'])).toEqual(['off', 'on', 'off']);
    const on = drawn[1]!;
    expect(num(on, 'width')).toBeCloseTo((2 / 24) * (960 - 58 - 18), 1);
    expect(svg.match(/<g class="lane"/g)).toHaveLength(2);
    expect(laneChart({ id: 'n', title: 'N', x, lanes: [] })).toContain('No data in this period');
  });
});
