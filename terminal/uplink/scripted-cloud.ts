/**
 * A minimal cloud for the client's tests, written straight on the protocol codec: it speaks the
 * server side of a session, keeps what it receives, and does only what the test tells it.
 * (The real stand-in is `fake-cloud/`, which the terminal never imports.)
 */
import { concatBytes } from '../../core/bytes.ts';
import type { Clock } from '../../core/clock/index.ts';
import type { ByteLink, LinkAcceptor } from '../../lines/net/link.ts';
import { verifyAuthMac } from '../../protocols/uplink/auth.ts';
import { encodeMessage } from '../../protocols/uplink/codec.ts';
import { UplinkDecoder } from '../../protocols/uplink/decoder.ts';
import type { RecordMessage, UplinkMessage } from '../../protocols/uplink/messages.ts';

export class ScriptedCloud implements LinkAcceptor {
  /** Every message received, in order, with the link number it came on. */
  readonly received: { link: number; message: UplinkMessage }[] = [];
  /** Records stored (first copy of each seq). */
  readonly records = new Map<number, RecordMessage>();
  readonly links: ByteLink[] = [];
  /** Ack each record as it arrives. */
  autoAck = true;
  /** `upTo` of the WELCOME. */
  welcomeUpTo = 0;
  configVersion = 1;
  /** Answer PINGs. */
  answerPings = true;
  nonce = '0123456789abcdef0123456789abcdef';
  /** Sent in the same write as the WELCOME (as a cloud does with pushes queued while offline). */
  withWelcome: UplinkMessage[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly modems: Record<string, string>,
  ) {}

  accept(link: ByteLink): void {
    const n = this.links.push(link) - 1;
    const decoder = new UplinkDecoder();
    let modem: string | undefined;
    link.onData((bytes) => {
      for (const ev of decoder.push(bytes)) {
        if (ev.kind !== 'message') continue;
        const m = ev.message;
        this.received.push({ link: n, message: m });
        if (m.type === 'hello') {
          if (!(m.modemNo in this.modems)) this.send(link, { type: 'reject', reason: 'unknown-modem', text: `modem ${m.modemNo} is not provisioned` });
          else {
            modem = m.modemNo;
            this.send(link, { type: 'challenge', nonce: this.nonce });
          }
        } else if (m.type === 'auth') {
          if (modem && verifyAuthMac(this.modems[modem]!, this.nonce, m.mac)) {
            const welcome: UplinkMessage = { type: 'welcome', serverTime: Math.round(this.clock.now()), configVersion: this.configVersion, upTo: this.welcomeUpTo };
            link.write(concatBytes([welcome, ...this.withWelcome].map((x) => encodeMessage(x)))).catch(() => undefined);
          } else this.send(link, { type: 'reject', reason: 'bad-auth', text: 'HMAC does not match the modem key' });
        } else if (m.type === 'record') {
          if (!this.records.has(m.seq)) this.records.set(m.seq, m);
          if (this.autoAck) this.send(link, { type: 'ack', upTo: m.seq });
        } else if (m.type === 'ping' && this.answerPings) this.send(link, { type: 'pong', n: m.n });
      }
    });
  }

  /** Sends on the newest link. */
  send(link: ByteLink | undefined, m: UplinkMessage): void {
    const l = link ?? this.links.at(-1);
    if (l && !l.closed) l.write(encodeMessage(m)).catch(() => undefined);
  }

  /** Messages of one type received so far. */
  of<T extends UplinkMessage['type']>(type: T): Extract<UplinkMessage, { type: T }>[] {
    return this.received.filter((r) => r.message.type === type).map((r) => r.message as Extract<UplinkMessage, { type: T }>);
  }
}
