/**
 * The one error type of the AT codec. Every parsing problem names the offset (in the line, or
 * in the byte stream for the streaming readers) and what was expected there.
 */
import { InputError } from '../../core/errors.ts';

/** What went wrong, for code that reacts to the kind of fault. */
export type AtErrorReason =
  | 'prefix' // a command line that does not start with `AT`/`at` (or `A/`)
  | 'syntax' // a character where the grammar wants another
  | 'value' // a field that parses but holds a value the standard forbids
  | 'shape' // a response line with the wrong prefix or number of fields
  | 'encode'; // a value that cannot be written on an AT line

/**
 * A precise AT error. `offset` is the character offset in the line (or the byte offset in the
 * stream) where the fault sits; `expected` says what would have been accepted there.
 */
export class AtError extends InputError {
  readonly reason: AtErrorReason;
  readonly offset: number | undefined;
  readonly expected: string | undefined;
  readonly detail: string;

  constructor(reason: AtErrorReason, detail: string, at: { offset?: number; expected?: string } = {}) {
    const where = at.offset === undefined ? '' : ` at offset ${at.offset}`;
    const want = at.expected === undefined ? '' : `, expected ${at.expected}`;
    super('AT', `${detail}${where}${want}`);
    this.reason = reason;
    this.offset = at.offset;
    this.expected = at.expected;
    this.detail = detail;
  }
}

/** `'x'`, `<CR>`, `<0x9f>` or `end of line`: how a message names the character it stopped at. */
export function charLabel(text: string, index: number): string {
  if (index >= text.length) return 'end of line';
  const c = text.charCodeAt(index);
  if (c === 0x0d) return '<CR>';
  if (c === 0x0a) return '<LF>';
  if (c < 0x20 || c >= 0x7f) return `<0x${c.toString(16).padStart(2, '0')}>`;
  return `'${text[index]}'`;
}
