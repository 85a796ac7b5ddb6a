/**
 * A modem's settings page: site (location, send period), alarm recipients, I/O support, Modbus
 * devices. Each section is a form of its own, saved by the page script to its JSON route:
 * `PUT /api/modems/:no/settings`, `PUT /api/modems/:no/settings/io`,
 * `PUT /api/modems/:no/settings/modbus`. Without the `settings` right the forms are read-only.
 */
import { MODBUS_DEVICE_TYPES, MODBUS_PORTS, type ModbusDeviceSetting } from '../../../protocols/uplink/modbus-config.ts';
import type { AlarmRecipient } from '../../settings/site-settings-input.ts';
import type { IoSettingsView } from '../../io/io-service.ts';
import type { ModbusSettingsView } from '../../settings/modbus-settings.ts';
import type { SiteSettingsView } from '../../settings/site-settings.ts';
import { html, type Html } from '../html.ts';
import { badge, formResult, page, when } from '../layout.ts';

export interface SettingsPageData {
  user: string;
  modemNo: string;
  canChange: boolean;
  site: SiteSettingsView;
  io: IoSettingsView;
  modbus: ModbusSettingsView;
}

const TYPE_NAMES: Record<string, string> = {
  'compensation-relay': 'Compensation relay',
  analyzer: 'Analyzer',
  'energy-meter': 'Energy meter',
  sensor: 'Temperature/light sensor',
  'io-module': 'I/O module',
};

/** "applied by the terminal" or "waiting for the terminal", for a versioned setting. */
function applied(version: number, acked: number): Html {
  if (version === 0) return html``;
  return acked >= version ? badge(`applied by the terminal (version ${version})`, 'ok') : badge(`waiting for the terminal (version ${version}, it has ${acked})`, 'warn');
}

function recipientRow(r: AlarmRecipient | undefined, i: number): Html {
  const alarms = r === undefined || r.alarms === 'all' ? 'all' : r.alarms.join(', ');
  return html`<tr data-row>
<td><label class="sr-only" for="r${i}-name">Name</label><input id="r${i}-name" name="name" value="${r?.name ?? ''}"></td>
<td><label class="sr-only" for="r${i}-email">E-mail</label><input id="r${i}-email" name="email" type="email" value="${r?.email ?? ''}"></td>
<td><label class="sr-only" for="r${i}-phone">Phone</label><input id="r${i}-phone" name="phone" type="tel" placeholder="+905321234567" value="${r?.phone ?? ''}"></td>
<td><label class="sr-only" for="r${i}-alarms">Alarms</label><input id="r${i}-alarms" name="alarms" value="${alarms}"></td>
<td><button type="button" class="link" data-action="remove-row">Remove</button></td></tr>`;
}

function deviceRow(d: ModbusDeviceSetting | undefined, i: number): Html {
  return html`<tr data-row>
<td><label class="sr-only" for="d${i}-address">Address</label><input id="d${i}-address" name="address" type="number" min="1" max="247" value="${d?.address ?? ''}"></td>
<td><label class="sr-only" for="d${i}-type">Type</label><select id="d${i}-type" name="type">${MODBUS_DEVICE_TYPES.map((t) => html`<option value="${t}"${d?.type === t ? html` selected` : ''}>${TYPE_NAMES[t] ?? t}</option>`)}</select></td>
<td><label class="sr-only" for="d${i}-model">Model</label><input id="d${i}-model" name="model" value="${d?.model ?? ''}" placeholder="usual map of the type"></td>
<td><label class="sr-only" for="d${i}-port">Port</label><select id="d${i}-port" name="port">${MODBUS_PORTS.map((p) => html`<option value="${p}"${(d?.port ?? 'rs485') === p ? html` selected` : ''}>${p.toUpperCase().replace('RS', 'RS-')}</option>`)}</select></td>
<td><button type="button" class="link" data-action="remove-row">Remove</button></td></tr>`;
}

export function settingsPage(d: SettingsPageData): string {
  const { site, io, modbus } = d;
  const api = `/api/modems/${d.modemNo}/settings`;
  const ro = d.canChange ? '' : html` disabled`;
  const save = (text: string) => (d.canChange ? html`<p><button type="submit">${text}</button></p>${formResult()}` : '');
  const loc = site.location;
  return page({
    title: `Settings of modem ${d.modemNo}`,
    user: d.user,
    nav: 'modems',
    body: html`<h1>Settings of modem ${d.modemNo}</h1>
<p><a href="/modems/${d.modemNo}">Dashboard</a> · <a href="/modems">All modems</a></p>
${d.canChange ? '' : html`<p class="note">You may view these settings; changing them needs the 'settings' right on this modem.</p>`}

<section aria-labelledby="site-h"><h2 id="site-h">Site</h2>
<form class="card" novalidate data-form="site" data-api="${api}" data-method="PUT"><fieldset${ro}><legend class="sr-only">Site</legend>
  <p><label for="loc-name">Location</label> <input id="loc-name" name="locationName" value="${loc?.name ?? ''}" placeholder="e.g. Konya OSB, plant 2" aria-describedby="loc-help">
  <small id="loc-help">A name to find the site by; leave it empty to remove the location.</small></p>
  <p><label for="loc-address">Address</label> <input id="loc-address" name="locationAddress" value="${loc?.address ?? ''}"></p>
  <p class="pair"><span><label for="loc-lat">Latitude</label> <input id="loc-lat" name="lat" inputmode="decimal" value="${loc?.lat ?? ''}"></span>
  <span><label for="loc-lon">Longitude</label> <input id="loc-lon" name="lon" inputmode="decimal" value="${loc?.lon ?? ''}"></span></p>
  <p><label for="send-period">Send period (minutes)</label> <input id="send-period" name="sendPeriodMin" type="number" min="1" max="240" step="1" value="${site.sendPeriodMin ?? ''}" placeholder="the terminal's own">
  <span id="period-state">${applied(site.periodVersion, site.periodAckedVersion)}</span></p>
  ${save('Save site settings')}
</fieldset></form></section>

<section aria-labelledby="rec-h"><h2 id="rec-h">Alarm recipients</h2>
<form class="card" novalidate data-form="recipients" data-api="${api}" data-method="PUT"><fieldset${ro}><legend class="sr-only">Alarm recipients</legend>
<table class="edit" id="recipients"><caption class="sr-only">People who receive this modem's alarms</caption>
<thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Phone (SMS)</th><th scope="col">Alarms ('all' or kinds, comma separated)</th><th scope="col"><span class="sr-only">Remove</span></th></tr></thead>
<tbody>${site.recipients.map((r, i) => recipientRow(r, i))}</tbody></table>
<template data-row-template>${recipientRow(undefined, 999)}</template>
${d.canChange ? html`<p><button type="button" class="secondary" data-action="add-row">Add recipient</button></p>` : ''}
${save('Save recipients')}
</fieldset></form></section>

<section aria-labelledby="io-h"><h2 id="io-h">I/O support</h2>
<form class="card" novalidate data-form="io" data-api="${api}/io" data-method="PUT" data-schedule="${JSON.stringify(io.schedule)}" data-utc-offset-min="${io.utcOffsetMin}"><fieldset${ro}><legend class="sr-only">I/O support</legend>
  <p><input id="io-enabled" name="enabled" type="checkbox"${io.enabled ? html` checked` : ''}> <label for="io-enabled">Inputs and relay outputs in use (I/O support)</label>
  ${applied(io.ioVersion, io.ackedVersion)}</p>
  <p class="muted">${io.schedule.length} weekly schedule line(s); local time UTC${io.utcOffsetMin >= 0 ? '+' : '-'}${Math.abs(io.utcOffsetMin / 60)}.</p>
  ${save('Save I/O support')}
</fieldset></form></section>

<section aria-labelledby="mb-h"><h2 id="mb-h">Modbus devices</h2>
<form class="card" novalidate data-form="modbus" data-api="${api}/modbus" data-method="PUT"><fieldset${ro}><legend class="sr-only">Modbus devices</legend>
<table class="edit" id="modbus-devices"><caption class="sr-only">Modbus devices the terminal reads</caption>
<thead><tr><th scope="col">Address</th><th scope="col">Type</th><th scope="col">Model</th><th scope="col">Port</th><th scope="col"><span class="sr-only">Remove</span></th></tr></thead>
<tbody>${modbus.devices.map((dev, i) => deviceRow(dev, i))}</tbody></table>
<template data-row-template>${deviceRow(undefined, 999)}</template>
<p>${applied(modbus.configVersion, modbus.ackedVersion)} ${modbus.updatedAt !== null ? html`<span class="muted">changed ${when(modbus.updatedAt, io.utcOffsetMin)}</span>` : ''}</p>
${d.canChange ? html`<p><button type="button" class="secondary" data-action="add-row">Add device</button></p>` : ''}
${save('Save Modbus devices')}
</fieldset></form></section>`,
  });
}
