/**
 * HTML built from templates that escape every interpolated value unless it is already `Html`.
 * `html\`<p>${name}</p>\`` escapes `name`; an `Html` (from `html`, `raw` or `join`) goes in as
 * is; arrays are joined; null, undefined and false render nothing.
 */

/** Markup that is safe to insert as is. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A value a template accepts. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/** The template tag: escapes every value that is not `Html`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup made elsewhere and known to be safe (an SVG from the plot module). */
export function raw(text: string): Html {
  return new Html(text);
}

/** Values joined with a separator (escaped like template values). */
export function join(values: readonly HtmlValue[], separator: HtmlValue = ''): Html {
  return new Html(values.map(render).join(render(separator)));
}
