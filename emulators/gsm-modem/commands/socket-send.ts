/**
 * What both socket families do with the bytes typed after a send prompt: the PDP-drop and
 * socket-close faults, handing the bytes to the network, and when the result goes out (SIMCom
 * normal mode: after the peer's acknowledgement; Quectel and SIMCom quick send: at once).
 */
import type { FinalResult } from '../../../protocols/at/index.ts';
import type { CommandAnswer, CommandContext, DataEnding } from '../answer.ts';
import type { ModemSocket } from '../sockets.ts';

/** The results a family prints. */
export interface SendResults {
  sent: FinalResult;
  failed: FinalResult;
  /** Wait for the peer's ACK before `sent` (SIMCom `AT+CIPQSEND=0`). */
  afterAck: boolean;
  /** What ESC answers. */
  cancelled: FinalResult;
}

/** Sends `bytes` on `sock` and answers per `r`. */
export async function sendTyped(ctx: CommandContext, sock: ModemSocket, bytes: Uint8Array, ended: DataEnding, r: SendResults): Promise<CommandAnswer> {
  const m = ctx.modem;
  if (ended === 'cancelled') return { result: r.cancelled };
  if (ended === 'overflow') return { result: { kind: 'error' } };
  await m.clock.sleep(m.profile.latencyMs.send);
  if (!ctx.session.alive) return { silent: true };
  const now = m.clock.now();
  if (sock.state !== 'connected') return { result: r.failed };
  if (m.faults.take('pdp-drop-on-send', now)) return { result: r.failed, after: () => m.radio.pdpLost('PDP context dropped during a send') };
  const closeAfter = m.faults.take('socket-closed-on-send', now) !== undefined;
  const tech = m.radio.dataTechnology() ?? sock.technology ?? 'gsm';
  const sending = sock.send(bytes);
  if (r.afterAck) {
    if ((await sending) === 'failed') return { result: r.failed };
    await m.clock.sleep(m.network.ackDelayMs(m.radio.dataTechnology() ?? tech));
    if (!ctx.session.alive) return { silent: true };
  } else {
    void sending;
  }
  if (closeAfter) {
    return {
      result: r.sent,
      after: () =>
        void sending.then(() => {
          if (ctx.session.alive) sock.closedByNetwork('closed by the network after a send');
        }),
    };
  }
  return { result: r.sent };
}
