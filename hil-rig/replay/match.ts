/**
 * What a master's message means, as a key a tolerant replay matches on, and a framer that cuts
 * the master's byte stream into messages. Two keys per message: an exact one and a loose one that
 * a replay falls back on.
 *
 * | protocol | exact key                                  | loose key                  |
 * |----------|--------------------------------------------|----------------------------|
 * | IEC      | request + address (leading zeros ignored), option select V Z Y, command + data, break, ACK, NAK | request, option select, command id + type |
 * | Modbus   | unit, function, data address               | none                       |
 * | AT       | the command line, upper case               | the command name (`AT+CSQ`) |
 *
 * Pure: bytes in, keys out.
 */
import { fromAscii, toHex } from '../../core/bytes.ts';
import { Iec62056Decoder, type Message } from '../../protocols/iec62056-21/index.ts';
import { decodeRequest, RtuStreamFramer } from '../../protocols/modbus-rtu/index.ts';
import type { SniffProtocol } from '../sniff/classify.ts';

/** A master message's meaning. */
export interface MessageKey {
  exact: string;
  loose?: string;
  /** For messages in reports. */
  text: string;
}

function iecKey(m: Message): MessageKey | undefined {
  switch (m.kind) {
    case 'request':
      return { exact: `request:${m.address.replace(/^0+/, '')}`, loose: 'request', text: `/?${m.address}!` };
    case 'option-select':
      return { exact: `option-select:${m.protocolControl}${m.baudChar}${m.modeControl}`, loose: 'option-select', text: `option select ${m.protocolControl}${m.baudChar}${m.modeControl}` };
    case 'command':
      return { exact: `command:${m.command}${m.type}:${m.data ?? ''}`, loose: `command:${m.command}${m.type}`, text: `command ${m.command}${m.type} ${m.data ?? ''}`.trim() };
    case 'break':
      return { exact: `break:${m.type}`, text: `break B${m.type}` };
    case 'ack':
    case 'nak':
      return { exact: m.kind, text: m.kind.toUpperCase() };
    case 'wakeup':
      return { exact: 'wakeup', text: `wake-up (${m.count} NUL)` };
    default:
      return undefined; // meter messages are not requests
  }
}

/** Cuts a master's byte stream into messages with their keys. */
export interface MasterFramer {
  /** Bytes in; the keys of the messages they complete. */
  push(bytes: Uint8Array): MessageKey[];
  /** The stream paused or the settings changed: what is pending ends (an IEC ACK alone). */
  flush(): MessageKey[];
}

class IecFramer implements MasterFramer {
  private decoder = new Iec62056Decoder({ side: 'master', parity: 'strip' });
  push(bytes: Uint8Array): MessageKey[] {
    return this.decoder.push(bytes).flatMap((e) => (e.type === 'frame' ? [iecKey(e.frame)].filter((k): k is MessageKey => k !== undefined) : []));
  }
  flush(): MessageKey[] {
    return this.decoder.flush().flatMap((e) => (e.type === 'frame' ? [iecKey(e.frame)].filter((k): k is MessageKey => k !== undefined) : []));
  }
}

class ModbusFramer implements MasterFramer {
  private framer = new RtuStreamFramer('request');
  push(bytes: Uint8Array): MessageKey[] {
    return this.framer.push(bytes).flatMap((e) => {
      if (e.type !== 'frame') return [];
      try {
        const { slave, request } = decodeRequest(e.bytes);
        const address = 'address' in request ? request.address : '';
        return [{ exact: `${slave}:${request.fn}:${address}`, text: `unit ${slave} function ${request.fn}${address !== '' ? ` address ${address}` : ''}` }];
      } catch {
        return [];
      }
    });
  }
  flush(): MessageKey[] {
    this.framer.flush();
    return [];
  }
}

class AtFramer implements MasterFramer {
  private text = '';
  push(bytes: Uint8Array): MessageKey[] {
    this.text += fromAscii(bytes);
    const out: MessageKey[] = [];
    let cr: number;
    while ((cr = this.text.search(/[\r\x1a]/)) >= 0) {
      const line = this.text.slice(0, cr).trim();
      this.text = this.text.slice(cr + 1).replace(/^\n/, '');
      if (line === '') continue;
      const upper = line.toUpperCase();
      const name = /^(AT[+&%$#]?[A-Z0-9]*)/.exec(upper)?.[1];
      out.push({ exact: upper, ...(name && name !== upper ? { loose: name } : {}), text: line });
    }
    if (this.text.length > 4096) this.text = this.text.slice(-4096);
    return out;
  }
  flush(): MessageKey[] {
    return [];
  }
}

/** Every byte is its own message: what a replay does when the protocol is unknown. */
class BytesFramer implements MasterFramer {
  push(bytes: Uint8Array): MessageKey[] {
    return [{ exact: toHex(bytes, ''), text: toHex(bytes) }];
  }
  flush(): MessageKey[] {
    return [];
  }
}

/** A framer for the master's side of `protocol`. */
export function masterFramer(protocol: SniffProtocol | undefined): MasterFramer {
  return protocol === 'iec' ? new IecFramer() : protocol === 'modbus' ? new ModbusFramer() : protocol === 'at' ? new AtFramer() : new BytesFramer();
}

/** The key of the last message in a captured request (the one the answer followed). */
export function requestKey(protocol: SniffProtocol | undefined, bytes: Uint8Array): MessageKey | undefined {
  if (bytes.length === 0) return undefined;
  if (protocol === undefined) return new BytesFramer().push(bytes)[0];
  const f = masterFramer(protocol);
  const keys = [...f.push(bytes), ...f.flush()];
  return keys[keys.length - 1];
}
