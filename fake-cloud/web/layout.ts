/**
 * The page shell shared by every page (head, header with navigation and the user, main landmark)
 * and small formatting helpers. Times are shown in the site's local time (`DD.MM.YYYY HH:mm`).
 */
import { html, type Html, type HtmlValue } from './html.ts';
import { localDateTime, offsetName } from './plot/ticks.ts';

/** The product's name, as on the real pages. */
export const PRODUCT = 'SmartPower';

export interface PageOptions {
  title: string;
  /** The signed-in user's e-mail (header), if any. */
  user?: string | undefined;
  /** Which navigation entry is current. */
  nav?: 'modems' | 'alarms' | undefined;
  body: HtmlValue;
}

/** A whole HTML document. */
export function page(o: PageOptions): string {
  const navLink = (key: 'modems' | 'alarms', href: string, text: string) => html`<a href="${href}"${o.nav === key ? html` aria-current="page"` : ''}>${text}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${PRODUCT}</title>
<link rel="stylesheet" href="/assets/style.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/modems">${PRODUCT}</a>
  ${o.user
    ? html`<nav aria-label="Main">${navLink('modems', '/modems', 'Modems')} ${navLink('alarms', '/alarms', 'Alarms')}</nav>
  <span class="who">${o.user}</span> <button type="button" class="link" data-action="logout">Log out</button>`
    : ''}
</header>
<main id="main">
${o.body}
</main>
</body>
</html>
`.text;
}

/** A time in local time with the offset as a tooltip, or a dash. */
export function when(t: number | null | undefined, utcOffsetMin: number): Html {
  if (t === null || t === undefined) return html`<span aria-label="never">–</span>`;
  return html`<time datetime="${new Date(t).toISOString()}" title="${offsetName(utcOffsetMin)}">${localDateTime(t, utcOffsetMin)}</time>`;
}

/** A status word in a coloured badge (`ok`, `warn`, `bad`, `muted`). */
export function badge(text: string, tone: 'ok' | 'warn' | 'bad' | 'muted'): Html {
  return html`<span class="badge ${tone}">${text}</span>`;
}

/** The region where a form's script writes its outcome (announced to screen readers). */
export function formResult(): Html {
  return html`<p class="form-result" role="status" aria-live="polite"></p>`;
}

/** A page telling why it cannot be shown (404, 403, …). */
export function errorPage(status: number, message: string, user?: string): string {
  const title = status === 404 ? 'Not found' : status === 403 ? 'Not allowed' : 'Error';
  return page({ title, user, body: html`<h1>${title}</h1><p class="error">${message}</p><p><a href="/modems">Back to the modem list</a></p>` });
}
