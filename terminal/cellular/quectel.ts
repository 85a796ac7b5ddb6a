/**
 * Quectel EC2x-class modules (G24–G26): context 1, socket 0 in buffer access mode (Quectel
 * EC2x&EG9x TCP(IP) Application Note V1.1; EC25 AT Commands Manual for `nwscanmode`).
 *
 * ```
 *  radio:   AT+QCFG="nwscanmode",<0 auto | 1 GSM only | 3 LTE only>,1
 *  bearer:  AT+QICSGP=1,1,"apn","user","pwd",1 · AT+QIACT=1 (ERROR: AT+QIDEACT=1, once more) · AT+QIACT? → +QIACT: 1,1,1,"a.b.c.d"
 *  open:    AT+QIOPEN=1,0,"TCP","host",port,0,0 → OK … +QIOPEN: 0,<err> (0 = open)
 *  send:    AT+QISEND=0,n → "> " → n bytes → SEND OK | SEND FAIL | ERROR
 *  receive: +QIURC: "recv",0 → AT+QIRD=0,1500 → +QIRD: <n> + bytes (until +QIRD: 0)
 *  close:   AT+QICLOSE=0 ; remote close: +QIURC: "closed",0 ; PDP loss: +QIURC: "pdpdeact",1
 * ```
 */
import { concatBytes } from '../../core/bytes.ts';
import { HtHilError } from '../../core/errors.ts';
import { quoteString } from '../../protocols/at/index.ts';
import { AtCommandError, type AtRunner } from './at-runner.ts';
import type { ApnConfig, CellDialect, SocketEvent } from './dialect.ts';
import { COMMAND_TIMEOUTS } from './timeouts.ts';

const MAX_READ = 1500;
const SCAN_MODE = { '2g': 1, '4g-fallback-2g': 0, '4g': 3 } as const;

/** The Quectel QI dialect. */
export const QUECTEL: CellDialect = {
  name: 'quectel',
  registrationCommands: ['+CREG', '+CGREG', '+CEREG'],
  maxSend: 1460,

  async configure(at, technologies) {
    await at.command(`AT+QCFG="nwscanmode",${SCAN_MODE[technologies]},1`, { allowError: true });
  },

  async attach(at: AtRunner, apn: ApnConfig): Promise<string> {
    await at.command(`AT+QICSGP=1,1,${quoteString(apn.apn)},${quoteString(apn.user ?? '')},${quoteString(apn.password ?? '')},1`);
    try {
      await at.command('AT+QIACT=1');
    } catch (err) {
      if (!(err instanceof AtCommandError)) throw err;
      await at.command('AT+QIDEACT=1', { allowError: true });
      await at.command('AT+QIACT=1');
    }
    const r = await at.command('AT+QIACT?');
    const m = /^\+QIACT: 1,1,\d+,"([^"]*)"/.exec(r.lines.find((l) => l.startsWith('+QIACT: 1,')) ?? '');
    return m?.[1] ?? '';
  },

  async detach(at) {
    await at.command('AT+QIDEACT=1', { allowError: true });
  },

  async open(at, host, port) {
    const ms = COMMAND_TIMEOUTS['+QIOPEN']!;
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = at.waitUrc((t) => t.startsWith('+QIOPEN: 0,'), ms);
      const sent = await at.command(`AT+QIOPEN=1,0,"TCP",${quoteString(host)},${port},0,0`, { allowError: true });
      if (sent.final.kind === 'cme-error' && sent.final.code === 563 && attempt === 0) {
        await at.command('AT+QICLOSE=0', { allowError: true });
        continue;
      }
      if (sent.final.kind !== 'ok') throw new AtCommandError('AT+QIOPEN', sent);
      const r = await result;
      if (r === '+QIOPEN: 0,0') return;
      if (r !== undefined) await at.command('AT+QICLOSE=0', { allowError: true });
      throw new HtHilError('E_CELLULAR', r === undefined ? `no +QIOPEN within ${ms} ms` : `connect refused: ${r}`);
    }
    throw new HtHilError('E_CELLULAR', 'socket 0 stays in use');
  },

  async send(at, chunk) {
    await at.command(`AT+QISEND=0,${chunk.length}`, { data: chunk });
  },

  async read(at) {
    const parts: Uint8Array[] = [];
    for (let round = 0; round < 64; round++) {
      const r = await at.command(`AT+QIRD=0,${MAX_READ}`);
      const m = /^\+QIRD: (\d+)/.exec(r.lines.find((l) => l.startsWith('+QIRD:')) ?? '');
      parts.push(...r.data);
      if (!m || Number(m[1]) === 0) break;
    }
    return concatBytes(parts);
  },

  async close(at) {
    await at.command('AT+QICLOSE=0', { allowError: true });
  },

  socketEvent(urc): SocketEvent | undefined {
    if (/^\+QIURC: "recv",0$/.test(urc)) return { kind: 'data-ready' };
    if (/^\+QIURC: "closed",0$/.test(urc)) return { kind: 'closed', reason: 'closed by the peer (+QIURC: "closed")' };
    if (/^\+QIURC: "pdpdeact",1$/.test(urc)) return { kind: 'pdp-lost', reason: 'PDP context deactivated by the network (+QIURC: "pdpdeact")' };
    return undefined;
  },

  technologyOf(prefix, act) {
    return prefix === '+CEREG' || act === 7 ? '4g' : '2g';
  },
};
