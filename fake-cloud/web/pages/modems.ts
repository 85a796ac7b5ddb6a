/**
 * The modem list (state, last seen, open alarms, location) and the "add modem authorization"
 * form (modem number and the code from the paper in the box, posted to `POST /api/account/modems`).
 */
import type { AccessScope } from '../../accounts/scope.ts';
import { html } from '../html.ts';
import { badge, formResult, page, when } from '../layout.ts';
import type { WebDeps } from '../web-deps.ts';

/** A modem as the list shows it. */
export interface ModemLine {
  modemNo: string;
  model: string | null;
  location: string | null;
  online: boolean;
  lastSeenAt: number | null;
  /** Open alarms, or undefined when the cloud keeps no alarms. */
  openAlarms: number | undefined;
  utcOffsetMin: number;
}

/** The lines of the user's modems. */
export function modemLines(deps: WebDeps, scope: AccessScope): ModemLine[] {
  return scope.listModems().map((m) => {
    const site = deps.service.site.view(m.modemNo);
    return {
      modemNo: m.modemNo,
      model: m.model ?? m.reportedModel,
      location: site.location?.name ?? null,
      online: m.online,
      lastSeenAt: m.lastSeenAt,
      openAlarms: deps.alarms ? deps.alarms.list(m.modemNo, { state: 'open' }).length : undefined,
      utcOffsetMin: deps.service.io.settings(m.modemNo).utcOffsetMin,
    };
  });
}

export function modemsPage(lines: readonly ModemLine[], o: { user: string; owner: boolean }): string {
  const alarms = lines.some((l) => l.openAlarms !== undefined);
  const table = lines.length
    ? html`<table class="list" id="modems">
<caption>Your modems (${lines.length})</caption>
<thead><tr><th scope="col">Modem No</th><th scope="col">Location</th><th scope="col">Model</th><th scope="col">State</th><th scope="col">Last seen</th>${alarms ? html`<th scope="col" class="num">Open alarms</th>` : ''}<th scope="col"><span class="sr-only">Links</span></th></tr></thead>
<tbody>
${lines.map(
  (l) => html`<tr data-modem="${l.modemNo}">
<th scope="row"><a href="/modems/${l.modemNo}">${l.modemNo}</a></th>
<td>${l.location ?? html`<span class="muted">not set</span>`}</td>
<td>${l.model ?? '–'}</td>
<td class="state">${l.online ? badge('online', 'ok') : badge('offline', 'muted')}</td>
<td>${when(l.lastSeenAt, l.utcOffsetMin)}</td>
${alarms ? html`<td class="num alarms">${l.openAlarms ? html`<a href="/alarms?modem=${l.modemNo}">${badge(String(l.openAlarms), 'bad')}</a>` : '0'}</td>` : ''}
<td><a href="/modems/${l.modemNo}">Dashboard</a> · <a href="/modems/${l.modemNo}/settings">Settings</a></td>
</tr>`,
)}
</tbody></table>`
    : html`<p>No modems in your account yet.</p>`;
  return page({
    title: 'Modems',
    user: o.user,
    nav: 'modems',
    body: html`<h1>Modems</h1>
${o.owner ? html`<p><a class="button" href="/modems/add">Add modem authorization</a></p>` : ''}
${table}`,
  });
}

export function addModemPage(o: { user: string; owner: boolean }): string {
  return page({
    title: 'Add modem authorization',
    user: o.user,
    nav: 'modems',
    body: html`<h1>Add modem authorization</h1>
${o.owner
  ? html`<p>Type the modem number and the authorization code printed on the paper in the terminal's box. The code works once.</p>
<form class="card narrow" novalidate data-form="add-modem" data-api="/api/account/modems" data-method="POST">
  <p><label for="modemNo">Modem No</label>
  <input id="modemNo" name="modemNo" required autocomplete="off" inputmode="numeric"></p>
  <p><label for="code">Authorization code</label>
  <input id="code" name="code" required autocomplete="off" placeholder="K7QM-3WXA" aria-describedby="code-help">
  <small id="code-help">8 letters and digits, as printed; dashes and spaces do not matter.</small></p>
  <p><button type="submit">Add modem</button></p>
  ${formResult()}
</form>`
  : html`<p class="error">Only the account owner adds modems.</p>`}
<p><a href="/modems">Back to the modem list</a></p>`,
  });
}
