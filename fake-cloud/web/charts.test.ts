import { describe, expect, it } from 'vitest';
import type { ConsumptionReport, ReactiveReport, RelaySteps } from '../reports/index.ts';
import { capacitorCharts, consumptionChart, reactiveChart } from './charts.ts';

const H = 3_600_000;
const DAY0 = Date.UTC(2026, 0, 4, 21);
const x = { from: DAY0, to: DAY0 + 24 * H };

function consumption(values: { kwh: number | null; T1: number | null; T2: number | null; T3: number | null; T4?: number | null }[]): ConsumptionReport {
  const tariffs = ['T1', 'T2', 'T3', ...(values.some((v) => 'T4' in v) ? ['T4'] : [])];
  const sum = (k: 'kwh' | 'T1' | 'T2' | 'T3' | 'T4') => values.reduce((a, v) => a + (v[k] ?? 0), 0);
  return {
    modemNo: '21000001',
    meterSerial: '80012345',
    bucket: 'hour',
    utcOffsetMin: 180,
    from: DAY0,
    to: DAY0 + values.length * H,
    registers: { total: ['1.8.0'], tariffs: tariffs.map((t) => `1.8.${t.slice(1)}`) },
    totalKwh: sum('kwh'),
    tariffTotals: Object.fromEntries(tariffs.map((t) => [t, sum(t as 'T1')])),
    buckets: values.map((v, i) => ({
      from: DAY0 + i * H,
      to: DAY0 + (i + 1) * H,
      label: '',
      kwh: v.kwh,
      tariffs: Object.fromEntries(tariffs.map((t) => [t, v[t as 'T1'] ?? null])),
      startAt: null,
      endAt: null,
      samples: 2,
      open: i === values.length - 1,
      incomplete: i === 1 ? ['no reading within 60 min of 01:00'] : [],
    })),
    incompleteBuckets: 1,
  };
}

const bars = (html: string) => [...html.matchAll(/<g class="series bars" data-series="([^"]+)"|<rect class="bar"[^>]*data-from="(\d+)"[^>]*data-value="([^"]+)"/g)].reduce<{ series: string; from: number; value: number }[]>((acc, m) => {
  if (m[1]) acc.push({ series: m[1], from: NaN, value: NaN });
  else acc.push({ series: acc.findLast((a) => Number.isNaN(a.from))?.series ?? '', from: Number(m[2]), value: Number(m[3]) });
  return acc;
}, []).filter((b) => !Number.isNaN(b.from));

describe('consumptionChart', () => {
  it('stacks the tariffs the meter sends, leaves out those that stayed at zero, and tables every bucket', () => {
    const r = consumption([
      { kwh: 10, T1: 0, T2: 0, T3: 10, T4: 0 },
      { kwh: 12, T1: 4, T2: 0, T3: 8, T4: 0 },
      { kwh: null, T1: null, T2: null, T3: null, T4: null },
    ]);
    const out = consumptionChart(r, { id: 'day', title: 'Active energy per hour', x }).text;
    expect(bars(out)).toEqual([
      { series: 'T1', from: DAY0, value: 0 },
      { series: 'T1', from: DAY0 + H, value: 4 },
      { series: 'T3', from: DAY0, value: 10 },
      { series: 'T3', from: DAY0 + H, value: 8 },
    ]);
    expect(out).toContain('stacked by tariff');
    expect(out).toContain('Total 22 kWh (T1 4, T2 0, T3 18, T4 0), meter 80012345.');
    expect(out).toContain('<th scope="row">01:00</th><td class="num">12</td><td class="num">4</td><td class="num">0</td><td class="num">8</td><td class="num">0</td><td class="num">no reading within 60 min of 01:00</td>');
    expect(out).toContain('<td class="num">not over yet</td>');
  });

  it('draws the totals when a tariff figure is missing', () => {
    const r = consumption([{ kwh: 10, T1: null, T2: 0, T3: 10 }, { kwh: 5, T1: 1, T2: 0, T3: 4 }]);
    expect(bars(consumptionChart(r, { id: 'd', title: 't', x }).text)).toEqual([
      { series: 'Active energy', from: DAY0, value: 10 },
      { series: 'Active energy', from: DAY0 + H, value: 5 },
    ]);
  });
});

describe('reactiveChart', () => {
  it('puts inductive and capacitive % per day against the limits, and tells the forecast', () => {
    const day = (d: number, ind: number | null, cap: number | null) => ({ label: `2026-01-0${d}`, from: DAY0 + (d - 5) * 24 * H, to: DAY0 + (d - 4) * 24 * H, activeKwh: 100, inductivePct: ind, capacitivePct: cap, overInductive: (ind ?? 0) > 20, overCapacitive: false, incomplete: [] });
    const ratio = { inductivePct: 18.2, capacitivePct: 1.5, activeKwh: 300 } as ReactiveReport['ratio'];
    const r = {
      modemNo: '21000001', meterSerial: '80012345', month: '2026-01', from: Date.UTC(2025, 11, 31, 21), to: Date.UTC(2026, 0, 31, 21), utcOffsetMin: 180, closed: false,
      limits: { inductivePct: 20, capacitivePct: 15, tier: '50kva-or-more', appliesTo: 'installed power 50 kVA or more', source: 'EPDK', article: 'article 13(3)' },
      ratio, forecast: { inductivePct: 19.5, capacitivePct: 1.2 } as ReactiveReport['forecast'], previousMonth: ratio,
      days: [day(5, 12.5, 0), day(6, 24, 2.5), day(7, null, null)],
    } as ReactiveReport;
    const out = reactiveChart(r, { id: 'reactive' }).text;
    expect(bars(out)).toEqual([
      { series: 'Inductive', from: DAY0, value: 12.5 },
      { series: 'Inductive', from: DAY0 + 24 * H, value: 24 },
      { series: 'Capacitive', from: DAY0, value: 0 },
      { series: 'Capacitive', from: DAY0 + 24 * H, value: 2.5 },
    ]);
    expect([...out.matchAll(/<g class="limit" data-series="([^"]+)" data-value="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual(['Inductive limit 20', 'Capacitive limit 15']);
    expect(out).toContain('Month to date: inductive 18.2 %, capacitive 1.5 % of 300 kWh.');
    expect(out).toContain('Forecast for the month end: inductive 19.5 %, capacitive 1.2 %.');
    expect(out).toContain('<th scope="row">06.01.2026</th><td class="num">100</td><td class="num">24</td><td class="num">2.5</td><td class="num">inductive over the limit</td>');
  });
});

describe('capacitorCharts', () => {
  it('draws the switched-in kvar as a stepped line and each step as a lane', () => {
    const sample = (h: number, on: boolean[], missing?: string) => ({ at: DAY0 + h * H, steps: missing ? [] : on.map((o, i) => ({ n: i + 1, on: o, kvar: 5 * (i + 1) })), onKvar: missing ? null : on.reduce((a, o, i) => a + (o ? 5 * (i + 1) : 0), 0), cosphi: missing ? null : 0.97, ...(missing ? { missing } : {}) });
    const relay: RelaySteps = {
      port: 'rs485', address: 5, model: 'Klemsan RAPIDUS', truncated: false,
      samples: [sample(0, [true, false]), sample(1, [true, true]), sample(2, [], 'no-answer: timeout'), sample(3, [false, true])],
      steps: [{ n: 1, kvar: 5, switchOns: 0, onShare: 1 }, { n: 2, kvar: 10, switchOns: 1, onShare: 0.5 }],
    };
    const out = capacitorCharts([relay], { id: 'steps', x, utcOffsetMin: 180 }).text;
    expect([...out.matchAll(/<circle class="point"[^>]*data-value="([^"]+)"/g)].map((m) => Number(m[1]))).toEqual([5, 15, 10]);
    expect(/<path d="([^"]+)"/.exec(out)![1]).toMatch(/^M[\d.]+ [\d.]+H[\d.]+V[\d.]+M[\d.]+ [\d.]+$/);
    const spans = [...out.matchAll(/<g class="lane" data-lane="([^"]+)"|<rect class="span"[^>]*data-from="(\d+)" data-to="(\d+)" data-state="(on|off)"/g)].map((m) => (m[1] ? m[1] : `${(Number(m[2]) - DAY0) / H}-${(Number(m[3]) - DAY0) / H} ${m[4]}`));
    expect(spans).toEqual(['Step 1 (5 kvar)', '0-2 on', '3-4 off', 'Step 2 (10 kvar)', '0-1 off', '1-2 on', '3-4 on']);
    expect(out).toContain('<h3 id="steps-0-h">Relay Klemsan RAPIDUS at rs485 address 5</h3>');
    expect(out).toContain('<td class="num">no-answer: timeout</td>');
    expect(capacitorCharts([], { id: 's', x, utcOffsetMin: 180 }).text).toContain('No compensation relay readings in this period.');
  });
});
