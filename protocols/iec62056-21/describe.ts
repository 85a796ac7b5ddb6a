/** One-line descriptions of frames and decoder events, for traces and reports. */
import { commandTypeName } from './command.ts';
import { parseErrorMessage } from './data-message.ts';
import { parseDataBlock } from './data-set.ts';
import type { DecoderEvent, Message } from './frames.ts';
import { identificationInfo } from './identification.ts';

const clip = (s: string, n = 40): string => JSON.stringify(s.length > n ? `${s.slice(0, n)}…` : s);

const PROTOCOL_CONTROL: Record<string, string> = { '0': 'normal protocol', '1': 'secondary protocol', '2': 'HDLC protocol' };
const MODE_CONTROL: Record<string, string> = { '0': 'data readout', '1': 'programming mode', '2': 'binary mode (HDLC)' };
const BAUD_C = ['300', '600', '1200', '2400', '4800', '9600', '19200'];

function modeControlName(y: string): string {
  if (MODE_CONTROL[y]) return MODE_CONTROL[y];
  return '6789'.includes(y) ? `manufacturer-specific mode ${y}` : `reserved mode ${y}`;
}

/**
 * `identification ELS, 9600 baud (mode C), ident "ZMD4102"` and the like. Works on decoded
 * frames and on plain message values.
 */
export function describeMessage(m: Message): string {
  switch (m.kind) {
    case 'request':
      return m.address === '' ? 'request (no address)' : `request for address ${clip(m.address)}`;
    case 'identification': {
      const info = identificationInfo(m);
      const baud = info.baud !== undefined ? `${info.baud} baud` : info.mode === 'A' ? 'no baud switch' : `reserved baud character '${m.baudChar}'`;
      const extra = [
        info.fastReaction ? 'fast reaction (20 ms)' : '',
        m.enhanced.length > 0 ? `enhanced ${m.enhanced.map((w) => `\\${w}`).join('')}` : '',
      ].filter(Boolean);
      return `identification ${m.manufacturer}, ${baud} (mode ${info.mode}), ident ${clip(m.ident)}${extra.length ? `, ${extra.join(', ')}` : ''}`;
    }
    case 'option-select': {
      const i = Number(m.baudChar);
      const baud = BAUD_C[i] !== undefined ? `${BAUD_C[i]} baud` : `reserved baud character '${m.baudChar}'`;
      return `option select: ${PROTOCOL_CONTROL[m.protocolControl] ?? `reserved protocol ${m.protocolControl}`}, ${baud}, ${modeControlName(m.modeControl)}`;
    }
    case 'readout': {
      let sets = '';
      try {
        const lines = parseDataBlock(m.block);
        sets = `, ${lines.reduce((n, l) => n + l.length, 0)} data sets`;
      } catch {
        sets = ', data sets not parsable';
      }
      const lineCount = m.block === '' ? 0 : m.block.split('\r\n').length - 1;
      return `readout, ${lineCount} line${lineCount === 1 ? '' : 's'}${sets}`;
    }
    case 'data': {
      const err = parseErrorMessage(m.text);
      const what = m.partial ? 'partial data block' : 'data';
      return err !== undefined && /[A-Za-z]/.test(err) ? `${what} ${clip(m.text)} (error message shape)` : `${what} ${clip(m.text)}`;
    }
    case 'command':
      return `command ${m.command}${m.type} (${commandTypeName(m.command, m.type)})${m.data !== undefined ? ` ${clip(m.data)}` : ''}${m.partial ? ', partial block' : ''}`;
    case 'break':
      return `break B${m.type} (${commandTypeName('B', m.type)})`;
    case 'ack':
      return 'ACK';
    case 'nak':
      return 'NAK (repeat request)';
    case 'wakeup':
      return `wake-up, ${m.count} NUL`;
  }
}

/** A frame event with its offsets, or an error: `[12..18) option select: …` / `error: …`. */
export function describeEvent(e: DecoderEvent): string {
  if (e.type === 'error') return `error (${e.error.kind}): ${e.error.message}`;
  return `[${e.frame.start}..${e.frame.end}) ${describeMessage(e.frame)}`;
}
