/**
 * SIMCom SIM800-class modules (G21–G23): the module's own TCP/IP stack in single-connection
 * mode with manual receive (SIM800 Series AT Command Manual V1.09 §8.2, TCPIP Application Note).
 *
 * ```
 *  bearer:  AT+CIPSHUT → SHUT OK · AT+CIPRXGET=1 · AT+CSTT="apn","user","pwd" · AT+CIICR · AT+CIFSR → a.b.c.d
 *  open:    AT+CIPSTART="TCP","host",port → OK … CONNECT OK | CONNECT FAIL | ALREADY CONNECT
 *  send:    AT+CIPSEND=n → "> " → n bytes → SEND OK (after the peer's ACK) | SEND FAIL | ERROR
 *  receive: +CIPRXGET: 1 → AT+CIPRXGET=2,1460 → +CIPRXGET: 2,<got>,<left> + bytes (until left 0)
 *  close:   AT+CIPCLOSE → CLOSE OK ; remote close: CLOSED ; PDP loss: +PDP: DEACT
 * ```
 */
import { concatBytes } from '../../core/bytes.ts';
import { HtHilError } from '../../core/errors.ts';
import { quoteString } from '../../protocols/at/index.ts';
import type { AtRunner } from './at-runner.ts';
import type { ApnConfig, CellDialect, SocketEvent } from './dialect.ts';
import { COMMAND_TIMEOUTS } from './timeouts.ts';

const MAX_READ = 1460;

/** The SIMCom CIP dialect. */
export const SIMCOM: CellDialect = {
  name: 'simcom',
  registrationCommands: ['+CREG', '+CGREG'],
  maxSend: 1460,

  async configure(at) {
    await at.command('AT+CIPMUX=0', { allowError: true });
  },

  async attach(at: AtRunner, apn: ApnConfig): Promise<string> {
    await at.command('AT+CIPSHUT');
    await at.command('AT+CIPRXGET=1');
    await at.command(`AT+CSTT=${quoteString(apn.apn)},${quoteString(apn.user ?? '')},${quoteString(apn.password ?? '')}`);
    await at.command('AT+CIICR');
    const ip = await at.command('AT+CIFSR');
    return ip.finalText;
  },

  async detach(at) {
    await at.command('AT+CIPSHUT', { allowError: true });
  },

  async open(at, host, port) {
    const ms = COMMAND_TIMEOUTS['+CIPSTART']!;
    const result = at.waitUrc((t) => /^(CONNECT OK|CONNECT FAIL|ALREADY CONNECT|STATE: .*)$/.test(t), ms);
    await at.command(`AT+CIPSTART="TCP",${quoteString(host)},${port}`);
    const r = await result;
    if (r === 'CONNECT OK') return;
    throw new HtHilError('E_CELLULAR', r === undefined ? `no answer to AT+CIPSTART within ${ms} ms` : `connect refused: ${r}`);
  },

  async send(at, chunk) {
    await at.command(`AT+CIPSEND=${chunk.length}`, { data: chunk });
  },

  async read(at) {
    const parts: Uint8Array[] = [];
    for (let round = 0; round < 64; round++) {
      const r = await at.command(`AT+CIPRXGET=2,${MAX_READ}`);
      parts.push(...r.data);
      const m = /^\+CIPRXGET: 2,(\d+),(\d+)$/.exec(r.lines.find((l) => l.startsWith('+CIPRXGET: 2,')) ?? '');
      if (!m || Number(m[1]) === 0 || Number(m[2]) === 0) break;
    }
    return concatBytes(parts);
  },

  async close(at) {
    await at.command('AT+CIPCLOSE', { allowError: true });
  },

  socketEvent(urc): SocketEvent | undefined {
    if (urc === '+CIPRXGET: 1') return { kind: 'data-ready' };
    if (urc === 'CLOSED') return { kind: 'closed', reason: 'closed by the peer (CLOSED)' };
    if (urc === '+PDP: DEACT') return { kind: 'pdp-lost', reason: 'PDP context deactivated by the network (+PDP: DEACT)' };
    return undefined;
  },

  technologyOf() {
    return '2g';
  },
};
