/** Small wording helpers shared by the rules. */

/** `10 min 2 s`, `3 h 5 min`, `45 s`. */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** A number with at most `decimals` decimals, no trailing zeros. */
export function num(v: number, decimals = 1): string {
  const f = 10 ** decimals;
  return String(Math.round(v * f) / f);
}

/** Modbus device subject key and words. */
export function modbusSubject(b: { port: string; address: number; type: string }): { subject: string; about: string } {
  return { subject: `modbus:${b.port}:${b.address}`, about: `${b.type} at Modbus address ${b.address} (${b.port})` };
}
