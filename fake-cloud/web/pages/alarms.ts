/**
 * The alarm list of the user's modems, newest first: state, modem, what, when raised and
 * cleared, and the alarm's own sentences. `?state=open|cleared` and `?modem=` filter it.
 */
import type { AlarmView } from '../../alarms/alarms.ts';
import { html } from '../html.ts';
import { badge, page, when } from '../layout.ts';

export interface AlarmFilter {
  state?: 'open' | 'cleared' | undefined;
  modem?: string | undefined;
}

/** Reads `?state=&modem=`; unknown values are ignored (the list then shows everything). */
export function alarmFilter(q: Record<string, unknown>, modems: readonly string[]): AlarmFilter {
  const state = q['state'] === 'open' || q['state'] === 'cleared' ? q['state'] : undefined;
  const modem = typeof q['modem'] === 'string' && modems.includes(q['modem']) ? q['modem'] : undefined;
  return { ...(state ? { state } : {}), ...(modem ? { modem } : {}) };
}

export function alarmsPage(o: { user: string; alarms: readonly AlarmView[] | undefined; modems: readonly string[]; filter: AlarmFilter; offsetOf: (modemNo: string) => number }): string {
  const f = o.filter;
  const list = o.alarms;
  const body =
    list === undefined
      ? html`<p class="muted">Alarms are not kept on this cloud.</p>`
      : list.length === 0
        ? html`<p>No alarms${f.state ? ` ${f.state}` : ''}${f.modem ? ` for modem ${f.modem}` : ''}.</p>`
        : html`<table class="list" id="alarm-list"><caption>${list.length} alarm${list.length === 1 ? '' : 's'}</caption>
<thead><tr><th scope="col">State</th><th scope="col">Modem</th><th scope="col">Alarm</th><th scope="col">About</th><th scope="col">Raised</th><th scope="col">Cleared</th><th scope="col">Details</th></tr></thead>
<tbody>${list.map(
            (a) => html`<tr data-alarm="${a.id}" data-state="${a.state}">
<td>${a.state === 'open' ? badge('open', 'bad') : badge('cleared', 'muted')}</td>
<th scope="row"><a href="/modems/${a.modemNo}">${a.modemNo}</a></th>
<td>${a.title}</td><td>${a.about}</td>
<td>${when(a.raisedAt, o.offsetOf(a.modemNo))}</td><td>${when(a.clearedAt, o.offsetOf(a.modemNo))}</td>
<td>${a.raisedText}${a.clearedText ? html`<br><span class="muted">Cleared: ${a.clearedText}</span>` : ''}</td></tr>`,
          )}</tbody></table>`;
  return page({
    title: 'Alarms',
    user: o.user,
    nav: 'alarms',
    body: html`<h1>Alarms</h1>
<form class="period" method="get" action="/alarms">
<p><label for="state">State</label> <select id="state" name="state"><option value="">all</option><option value="open"${f.state === 'open' ? html` selected` : ''}>open</option><option value="cleared"${f.state === 'cleared' ? html` selected` : ''}>cleared</option></select></p>
<p><label for="modem">Modem</label> <select id="modem" name="modem"><option value="">all</option>${o.modems.map((m) => html`<option value="${m}"${f.modem === m ? html` selected` : ''}>${m}</option>`)}</select></p>
<p><button type="submit">Show</button></p>
</form>
${body}`,
  });
}
