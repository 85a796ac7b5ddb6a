/**
 * Sends the cloud's e-mail notifications over real SMTP (nodemailer) to a mail server: by
 * default the embedded `MailCapture`. Each message carries a Message-ID made from its outbox
 * reference, so a resend of the same notice is recognisable as the same message, and the headers
 * `X-HT-Alarm` (alarm id) and `X-HT-Transition` (raised / cleared). The Date header is the
 * cloud's clock time.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { dateAt, type Clock } from '../../core/clock/index.ts';
import { HtHilError, errorMessage } from '../../core/errors.ts';

export interface OutgoingMail {
  /** Outbox reference; becomes the Message-ID `<ref@fake-cloud.ht-hil>`. */
  ref: string;
  to: string;
  subject: string;
  text: string;
  alarmId: number;
  transition: string;
}

/** The domain of the Message-IDs the cloud makes. */
export const MESSAGE_ID_DOMAIN = 'fake-cloud.ht-hil';

/** Message-ID (without angle brackets) of an outbox reference. */
export function messageIdOf(ref: string): string {
  return `${ref}@${MESSAGE_ID_DOMAIN}`;
}

export class SmtpMailer {
  private transport: Transporter | undefined;
  private target: string | undefined;

  constructor(
    private readonly clock: Clock,
    readonly from = 'SmartPower Alarm <alarm@smartpower.example>',
  ) {}

  /**
   * Sends one message to the SMTP server at `host:port`; resolves once the server accepted it
   * (250 to DATA), rejects with the server's answer or the connection error.
   */
  async send(server: { host: string; port: number }, m: OutgoingMail): Promise<void> {
    const target = `${server.host}:${server.port}`;
    if (this.target !== target) {
      this.transport?.close();
      this.transport = nodemailer.createTransport({ host: server.host, port: server.port, name: 'fake-cloud.ht-hil', pool: true, maxConnections: 1, secure: false, ignoreTLS: true, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 10_000 });
      this.target = target;
    }
    try {
      await this.transport!.sendMail({
        from: this.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        messageId: `<${messageIdOf(m.ref)}>`,
        date: dateAt(this.clock.now()),
        headers: { 'X-HT-Alarm': String(m.alarmId), 'X-HT-Transition': m.transition },
      });
    } catch (err) {
      throw new HtHilError('E_SMTP', `SMTP ${target}: ${errorMessage(err)}`);
    }
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
    this.target = undefined;
  }
}
