/** Small text helpers of the HTML report: escaping, durations, hex with a marked byte. */

/** Escapes text for HTML element content and double-quoted attributes. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A duration for people: `850 ms`, `12.4 s`, `31.0 min`, `6.00 h`, `7.00 d`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(2)} h`;
  return `${(ms / 86_400_000).toFixed(2)} d`;
}

/** Seconds after a start, as the timeline shows them: `+901.952 s`. */
export function relative(ms: number): string {
  return `+${(ms / 1000).toFixed(3)} s`;
}

/**
 * Hex of `hex` (with or without spaces) with the byte at `offset` marked; a long frame shows
 * the bytes around it with their offset (`… [752] 00 00 <mark>ee</mark> … [901 bytes]`).
 */
export function hexWithMark(hex: string, offset?: number): string {
  const bytes = hex.replace(/\s+/g, '').match(/.{1,2}/g) ?? [];
  const from = offset === undefined ? 0 : Math.max(0, offset - 48);
  const to = Math.min(bytes.length, offset === undefined ? 256 : offset + 32);
  const body = bytes
    .slice(from, to)
    .map((b, i) => (from + i === offset ? `<mark title="byte ${offset}">${esc(b)}</mark>` : esc(b)))
    .join(' ');
  return `${from > 0 ? `… [${from}] ` : ''}${body}${to < bytes.length ? ` … [${bytes.length} bytes]` : ''}`;
}
