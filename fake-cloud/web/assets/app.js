// SmartPower pages: sends the forms to the JSON API and shows its answer (errors in the API's
// own words), adds and removes table rows, logs out. No framework, nothing loaded from elsewhere.

/** Calls the API; resolves with { ok, status, body }. */
async function api(method, url, body) {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { error: text };
  }
  return { ok: res.ok, status: res.status, body: data };
}

const value = (el, name) => el.querySelector(`[name="${name}"]`)?.value.trim() ?? '';
/** A number when the text is one, else the text itself (the API then names the field). */
const numberOr = (text) => (text !== '' && Number.isFinite(Number(text)) ? Number(text) : text);
const rows = (form) => [...form.querySelectorAll('tbody [data-row]')];

/** The JSON body of each kind of form. */
const bodies = {
  login: (f) => ({ email: value(f, 'email'), password: f.querySelector('[name="password"]').value }),
  'add-modem': (f) => ({ modemNo: value(f, 'modemNo'), code: value(f, 'code') }),
  site: (f) => {
    const name = value(f, 'locationName');
    const body = {};
    if (name === '') body.location = null;
    else {
      body.location = { name };
      const address = value(f, 'locationAddress');
      if (address) body.location.address = address;
      const lat = value(f, 'lat');
      const lon = value(f, 'lon');
      if (lat !== '') body.location.lat = numberOr(lat);
      if (lon !== '') body.location.lon = numberOr(lon);
    }
    const period = value(f, 'sendPeriodMin');
    if (period !== '') body.sendPeriodMin = numberOr(period);
    return body;
  },
  recipients: (f) => ({
    recipients: rows(f).map((r) => {
      const out = {};
      for (const k of ['name', 'email', 'phone']) {
        const v = value(r, k);
        if (v) out[k] = v;
      }
      const alarms = value(r, 'alarms');
      out.alarms = alarms === '' || alarms === 'all' ? 'all' : alarms.split(',').map((a) => a.trim()).filter(Boolean);
      return out;
    }),
  }),
  io: (f) => ({ enabled: f.querySelector('[name="enabled"]').checked, schedule: JSON.parse(f.dataset.schedule || '[]'), utcOffsetMin: Number(f.dataset.utcOffsetMin) }),
  modbus: (f) => ({
    devices: rows(f).map((r) => {
      const d = { address: numberOr(value(r, 'address')), type: value(r, 'type'), port: value(r, 'port') };
      const model = value(r, 'model');
      if (model) d.model = model;
      return d;
    }),
  }),
};

/** What a successful answer says, per form kind. */
const successText = {
  login: () => 'Logged in.',
  'add-modem': (b) => `Modem ${b.modemNo} is now in your account.`,
  site: (b) =>
    `Saved. Send period: ${b.sendPeriodMin ?? "the terminal's own"}${b.sendPeriodMin ? ' min' : ''}` +
    (b.periodVersion > b.periodAckedVersion ? ' (waiting for the terminal to apply it).' : '.'),
  recipients: (b) => `Saved: ${b.recipients.length} recipient(s).`,
  io: (b) => `Saved: I/O support ${b.enabled ? 'on' : 'off'}${b.ackedVersion < b.ioVersion ? ' (waiting for the terminal).' : '.'}`,
  modbus: (b) => `Saved: ${b.devices.length} device(s), version ${b.configVersion}${b.ackedVersion < b.configVersion ? ' (waiting for the terminal).' : '.'}`,
};

function show(form, text, isError) {
  const out = form.querySelector('.form-result');
  if (!out) return;
  out.textContent = text;
  out.classList.toggle('error', Boolean(isError));
  out.setAttribute('role', isError ? 'alert' : 'status');
}

async function submit(form) {
  const kind = form.dataset.form;
  let body;
  try {
    body = bodies[kind](form);
  } catch (err) {
    show(form, String(err), true);
    return;
  }
  form.setAttribute('aria-busy', 'true');
  const button = form.querySelector('button[type="submit"]');
  if (button) button.disabled = true;
  try {
    const r = await api(form.dataset.method || 'POST', form.dataset.api, body);
    if (!r.ok) {
      show(form, r.body && r.body.error ? r.body.error : `HTTP ${r.status}`, true);
      return;
    }
    if (kind === 'login') {
      location.assign(form.dataset.next || '/modems');
      return;
    }
    show(form, successText[kind](r.body), false);
    if (kind === 'add-modem') {
      const out = form.querySelector('.form-result');
      const a = document.createElement('a');
      a.href = `/modems/${encodeURIComponent(r.body.modemNo)}`;
      a.textContent = ' Open its dashboard';
      out.append(a);
    }
    form.dataset.saved = String(Number(form.dataset.saved || 0) + 1);
  } catch (err) {
    show(form, `The cloud did not answer: ${err}`, true);
  } finally {
    form.removeAttribute('aria-busy');
    if (button) button.disabled = false;
  }
}

let rowSeq = 0;
function addRow(form) {
  const template = form.querySelector('template[data-row-template]');
  const body = form.querySelector('tbody');
  if (!template || !body) return;
  const row = template.content.firstElementChild.cloneNode(true);
  rowSeq += 1;
  for (const el of row.querySelectorAll('[id], [for]')) {
    for (const attr of ['id', 'for']) {
      const v = el.getAttribute(attr);
      if (v) el.setAttribute(attr, v.replace('999', `n${rowSeq}`));
    }
  }
  body.append(row);
  row.querySelector('input, select')?.focus();
}

document.addEventListener('submit', (e) => {
  const form = e.target.closest('form[data-form]');
  if (!form) return;
  e.preventDefault();
  void submit(form);
});

document.addEventListener('click', (e) => {
  const el = e.target.closest('[data-action]');
  if (!el) return;
  const action = el.dataset.action;
  if (action === 'add-row') addRow(el.closest('form'));
  else if (action === 'remove-row') el.closest('[data-row]')?.remove();
  else if (action === 'logout') void api('POST', '/api/logout').then(() => location.assign('/login'));
});

const meter = document.querySelector('form.period select[name="meter"]');
if (meter) meter.addEventListener('change', () => meter.form.requestSubmit());
