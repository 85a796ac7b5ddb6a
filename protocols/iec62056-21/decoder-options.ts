/** Options of the streaming decoder and their defaults. */
import { MAX_IDENT_LENGTH } from './identification.ts';

export type DecoderSide = 'meter' | 'master' | 'auto';
export type MasterPhase = 'sign-on' | 'programming';

export interface DecoderOptions {
  /** Whose bytes are decoded: the meter's (what a terminal hears), the master's, or unknown. Default 'auto'. */
  side?: DecoderSide;
  /** Bytes with bit 7 set: report them ('error', default) or clear bit 7 and go on ('strip'). */
  parity?: 'error' | 'strip';
  /** Longest identification accepted (the standard's 16 by default). */
  maxIdentLength?: number;
  /** Longest line inside a data or command body, CR LF excluded (default 1024). */
  maxLineLength?: number;
  /** Largest frame (default 1 MiB). */
  maxFrameBytes?: number;
  /** Offset of the first byte pushed (default 0). */
  startOffset?: number;
  /** Phase of the master at start, for side 'master' (default 'sign-on'). */
  masterPhase?: MasterPhase;
}

/** The limits the decoder applies, defaults filled in. */
export type DecoderLimits = Required<Pick<DecoderOptions, 'parity' | 'maxIdentLength' | 'maxLineLength' | 'maxFrameBytes'>>;

export function decoderLimits(options: DecoderOptions): DecoderLimits {
  return {
    parity: options.parity ?? 'error',
    maxIdentLength: options.maxIdentLength ?? MAX_IDENT_LENGTH,
    maxLineLength: options.maxLineLength ?? 1024,
    maxFrameBytes: options.maxFrameBytes ?? 1 << 20,
  };
}
