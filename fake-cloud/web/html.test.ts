import { describe, expect, it } from 'vitest';
import { escapeHtml, html, join, raw } from './html.ts';

describe('html', () => {
  it('escapes values, keeps markup made by html or raw, joins arrays, drops null/undefined/false', () => {
    const name = `<img src=x onerror="alert('1')">&`;
    expect(html`<p title="${name}">${name}</p>`.text).toBe('<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;</p>');
    expect(html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.text).toBe('<ul><li>a&lt;</li><li>b</li></ul>');
    expect(html`${null}${undefined}${false}${0}${true}`.text).toBe('0true');
    expect(html`<div>${raw('<svg/>')}</div>`.text).toBe('<div><svg/></div>');
    expect(join(['<a>', html`<b></b>`], ', ').text).toBe('&lt;a&gt;, <b></b>');
    expect(String(html`x${1}`)).toBe('x1');
    expect(escapeHtml(`"'<>&`)).toBe('&quot;&#39;&lt;&gt;&amp;');
  });
});
