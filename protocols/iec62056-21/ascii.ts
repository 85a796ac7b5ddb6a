/** Character classes of IEC 62056-21 (ISO/IEC 646, 7-bit) and printable labels for messages. */
import { toPrintable } from '../../core/bytes.ts';

/** `0x02 <STX>`, `0x41 'A'`, `0xb0`: a byte as an error message shows it. */
export function byteLabel(b: number): string {
  const hex = `0x${b.toString(16).padStart(2, '0')}`;
  if (b < 0x20 || b === 0x7f) return `${hex} ${toPrintable(Uint8Array.of(b))}`;
  if (b < 0x7f) return `${hex} '${String.fromCharCode(b)}'`;
  return hex;
}

/** 0x20…0x7e: a printable 7-bit character, space included. */
export function isPrintable(code: number): boolean {
  return code >= 0x20 && code <= 0x7e;
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function isLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Index of the first character of `text` that is not printable 7-bit ASCII, or -1. */
export function firstNonPrintable(text: string, allowCrLf = false): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isPrintable(c)) continue;
    if (allowCrLf && (c === 0x0d || c === 0x0a)) continue;
    return i;
  }
  return -1;
}
