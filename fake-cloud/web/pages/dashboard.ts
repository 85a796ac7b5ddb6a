/**
 * A modem's dashboard: its state, then for one local day and its month the consumption (hourly
 * and daily bars), the reactive ratio against the limits, and the capacitor steps of each
 * compensation relay. The day is `?day=YYYY-MM-DD` (default: the day the modem was last seen),
 * the month is the day's; `?meter=` picks one of several meters.
 */
import { errorMessage } from '../../../core/errors.ts';
import type { ModemView } from '../../api/service.ts';
import { ApiError } from '../../api/errors.ts';
import { capacitorCharts, consumptionChart, reactiveChart } from '../charts.ts';
import { html, type Html } from '../html.ts';
import { badge, page, when } from '../layout.ts';
import { localParts } from '../plot/ticks.ts';
import type { WebDeps } from '../web-deps.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface DashboardQuery {
  /** Local day `YYYY-MM-DD`. */
  day?: string | undefined;
  meter?: string | undefined;
}

/** Reads `?day=&meter=`; a malformed one is a 400 naming it. */
export function dashboardQuery(q: Record<string, unknown>): DashboardQuery {
  const day = q['day'];
  const meter = q['meter'];
  if (day !== undefined && day !== '' && (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))) {
    throw new ApiError(400, `dashboard: field 'day': expected a date YYYY-MM-DD, got '${String(day)}'`, 'day');
  }
  if (meter !== undefined && meter !== '' && (typeof meter !== 'string' || !/^[0-9A-Za-z]{1,32}$/.test(meter))) throw new ApiError(400, `dashboard: field 'meter': expected a meter serial`, 'meter');
  return { ...(typeof day === 'string' && day ? { day } : {}), ...(typeof meter === 'string' && meter ? { meter } : {}) };
}

const two = (n: number) => String(n).padStart(2, '0');

/** Local day start (clock ms) and its `YYYY-MM-DD`, for `day` or the day holding `t`. */
function dayOf(day: string | undefined, t: number, off: number): { start: number; name: string } {
  if (day) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return { start: Date.UTC(y, m - 1, d) - off * MINUTE, name: day };
  }
  const p = localParts(t, off);
  return { start: Date.UTC(p.year, p.month - 1, p.day) - off * MINUTE, name: `${p.year}-${two(p.month)}-${two(p.day)}` };
}

/** A report section, or the reason it cannot be shown (the API's words). */
function attempt(make: () => Html): Html {
  try {
    return make();
  } catch (err) {
    return html`<p class="error" role="note">${errorMessage(err)}</p>`;
  }
}

export function dashboardPage(deps: WebDeps, o: { user: string; modem: ModemView; openAlarms: number | undefined; location: string | null; utcOffsetMin: number; query: DashboardQuery }): string {
  const { modem, utcOffsetMin: off } = o;
  const no = modem.modemNo;
  const day = dayOf(o.query.day, modem.lastSeenAt ?? 0, off);
  const dayEnd = day.start + DAY;
  const lp = localParts(day.start, off);
  const month = `${lp.year}-${two(lp.month)}`;
  const monthFrom = Date.UTC(lp.year, lp.month - 1, 1) - off * MINUTE;
  const monthTo = Date.UTC(lp.year, lp.month, 1) - off * MINUTE;
  const shiftDay = (n: number) => dayOf(undefined, day.start + n * DAY + DAY / 2, off).name;
  const link = (d: string) => `/modems/${no}?day=${d}${o.query.meter ? `&meter=${encodeURIComponent(o.query.meter)}` : ''}`;

  const r = deps.reports;
  let meters: string[] = [];
  let reports: Html;
  if (modem.lastSeenAt === null && !o.query.day) reports = html`<p class="muted">This modem has not been in contact with the cloud yet.</p>`;
  else if (!r) reports = html`<p class="muted">Reports are not available on this cloud.</p>`;
  else {
    meters = r.meters(no);
    const meter = o.query.meter ?? meters[0];
    const base = { ...(meter ? { meter } : {}), utcOffsetMin: off };
    const energy = meters.length
      ? html`${attempt(() => consumptionChart(r.consumption(no, { ...base, bucket: 'hour', from: day.start, to: dayEnd }), { id: 'consumption-day', title: `Active energy per hour, ${day.name.split('-').reverse().join('.')}`, x: { from: day.start, to: dayEnd } }))}
${attempt(() => consumptionChart(r.consumption(no, { ...base, bucket: 'day', from: monthFrom, to: monthTo }), { id: 'consumption-month', title: `Active energy per day, ${month}`, x: { from: monthFrom, to: monthTo } }))}`
      : html`<p class="muted">No meter readings from this modem yet.</p>`;
    const reactive = meters.length ? attempt(() => reactiveChart(r.reactive(no, { ...base, month }), { id: 'reactive' })) : html`<p class="muted">No meter readings from this modem yet.</p>`;
    const steps = attempt(() => capacitorCharts(r.capacitorSteps(no, { from: day.start, to: dayEnd }).relays, { id: 'steps', x: { from: day.start, to: dayEnd }, utcOffsetMin: off }));
    reports = html`<section aria-labelledby="energy-h"><h2 id="energy-h">Consumption</h2>${energy}</section>
<section aria-labelledby="reactive-h"><h2 id="reactive-h">Reactive ratio</h2>${reactive}</section>
<section aria-labelledby="steps-h"><h2 id="steps-h">Capacitor steps</h2>${steps}</section>`;
  }

  const meterPick =
    meters.length > 1
      ? html`<p><label for="meter">Meter</label> <select id="meter" name="meter">${meters.map((m) => html`<option value="${m}"${m === (o.query.meter ?? meters[0]) ? html` selected` : ''}>${m}</option>`)}</select></p>`
      : '';
  return page({
    title: `Modem ${no}`,
    user: o.user,
    nav: 'modems',
    body: html`<h1>Modem ${no}${o.location ? html` <small>${o.location}</small>` : ''}</h1>
<p class="state-line" id="modem-state">${modem.online ? badge('online', 'ok') : badge('offline', 'muted')}
Last seen ${when(modem.lastSeenAt, off)} ·
${o.openAlarms === undefined ? '' : html`<a href="/alarms?modem=${no}">${o.openAlarms} open alarm${o.openAlarms === 1 ? '' : 's'}</a> ·`}
${modem.model ?? modem.reportedModel ?? ''}${modem.firmware ? ` firmware ${modem.firmware}` : ''} ·
<a href="/modems/${no}/settings">Settings</a></p>
<form class="period" method="get" action="/modems/${no}">
<a href="${link(shiftDay(-1))}" rel="prev">← Previous day</a>
<p><label for="day">Day</label> <input id="day" name="day" type="date" value="${day.name}"></p>
${meterPick}
<p><button type="submit">Show</button></p>
<a href="${link(shiftDay(1))}" rel="next">Next day →</a>
</form>
<p class="muted">Times are local (UTC${off >= 0 ? '+' : '-'}${two(Math.floor(Math.abs(off) / 60))}:${two(Math.abs(off) % 60)}); the month shown is ${month}.</p>
${reports}`,
  });
}
