/**
 * The mail system at the far end of the cloud's e-mail notifications: an embedded SMTP server
 * (smtp-server) on a local port that accepts every message, parses it (mailparser) and keeps it
 * in the cloud's database (`mail_capture`), so that scenarios and the HTTP API can read what was
 * sent (to, subject, text, the alarm it is about).
 *
 * - A message is stored before the server answers 250 to its DATA: once the sender's
 *   `sendMail` resolves, the message is readable here.
 * - Idempotent on Message-ID: a second message with a Message-ID already held is answered 250
 *   and not stored again (a sender that resends after losing the answer does not duplicate it).
 * - Fault switch `rejectNext(n, text)`: the next n messages are refused with 451 (a temporary
 *   failure; a sender retries).
 * - Plain SMTP on 127.0.0.1, no TLS, no authentication.
 */
import type { AddressInfo, Socket } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Clock } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { Store } from '../store/store.ts';
import { sql } from './sql.ts';

/** One captured message. `alarmId` and `transition` come from its `X-HT-Alarm` / `X-HT-Transition` headers. */
export interface CapturedMail {
  id: number;
  /** Message-ID without angle brackets. */
  messageId: string | null;
  receivedAt: number;
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  subject: string;
  text: string;
  alarmId: number | null;
  transition: string | null;
  size: number;
}

export interface MailQuery {
  to?: string | undefined;
  alarmId?: number | undefined;
  limit?: number | undefined;
}

type Row = Record<string, unknown>;

export class MailCapture {
  private server: SMTPServer | undefined;
  private listening: Promise<number> | undefined;
  private rejects: { count: number; text: string } | undefined;
  /** Messages refused by the fault switch so far. */
  rejected = 0;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly log?: Logger,
  ) {}

  /** The port it listens on, once started. */
  port: number | undefined;

  /** Starts listening (idempotent); resolves with the port. `port` 0: any free one. */
  start(port = 0, host = '127.0.0.1'): Promise<number> {
    this.listening ??= new Promise<number>((resolve, reject) => {
      const server = new SMTPServer({
        secure: false,
        authOptional: true,
        disabledCommands: ['AUTH', 'STARTTLS'],
        logger: false,
        banner: 'ht-hil fake cloud mail capture',
        size: 1_000_000,
        closeTimeout: 1000,
        disableReverseLookup: true,
        onData: (stream, session, callback) => this.onData(stream, session, callback),
      });
      server.on('error', (err) => this.log?.warn({ err: errorMessage(err) }, 'mail capture: server error'));
      server.server.once('error', reject);
      // Small SMTP lines must not wait for delayed ACKs (Nagle): each would cost ~40 ms.
      server.server.on('connection', (socket: Socket) => socket.setNoDelay(true));
      server.listen(port, host, () => {
        this.port = (server.server.address() as AddressInfo).port;
        this.server = server;
        resolve(this.port);
      });
    });
    return this.listening;
  }

  /** Stops listening; messages already captured stay in the database. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.listening = undefined;
    this.port = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Refuses the next `count` messages with 451 `text`. */
  rejectNext(count: number, text = 'mailbox temporarily unavailable'): void {
    this.rejects = count > 0 ? { count, text } : undefined;
  }

  /** True when a message with this Message-ID (with or without angle brackets) was captured. */
  has(messageId: string): boolean {
    return sql(this.store.db, 'SELECT 1 FROM mail_capture WHERE message_id = ?').get(bare(messageId)) !== undefined;
  }

  /** Captured messages, oldest first. */
  messages(q: MailQuery = {}): CapturedMail[] {
    const rows = sql(this.store.db, 'SELECT * FROM mail_capture ORDER BY id').all() as Row[];
    return rows
      .map(toMail)
      .filter((m) => (q.to === undefined || m.to.includes(q.to.toLowerCase())) && (q.alarmId === undefined || m.alarmId === q.alarmId))
      .slice(0, q.limit ?? 1000);
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void): void {
    simpleParser(stream, { skipHtmlToText: true, skipImageLinks: true, skipTextLinks: true })
      .then((mail) => {
        if (this.rejects) {
          this.rejected++;
          if (--this.rejects.count <= 0) this.rejects = undefined;
          return callback(smtpError(451, 'fault: mailbox temporarily unavailable'));
        }
        const rcpt = session.envelope.rcptTo.map((a) => a.address.toLowerCase());
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : addressText(mail.from);
        const header = (name: string): string | null => {
          const v = mail.headers.get(name);
          return typeof v === 'string' ? v : null;
        };
        const alarm = Number(header('x-ht-alarm'));
        const res = sql(this.store.db, 'INSERT OR IGNORE INTO mail_capture (message_id, received_at, mail_from, rcpt_to, subject, text, alarm_id, transition, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(mail.messageId ? bare(mail.messageId) : null, Math.round(this.clock.now()), from, JSON.stringify(rcpt), mail.subject ?? '', (mail.text ?? '').trimEnd(), Number.isSafeInteger(alarm) && alarm > 0 ? alarm : null, header('x-ht-transition'), stream.byteLength);
        if (res.changes === 0) this.log?.info({ messageId: mail.messageId }, 'mail capture: duplicate Message-ID, not stored again');
        callback();
      })
      .catch((err: unknown) => {
        this.log?.warn({ err: errorMessage(err) }, 'mail capture: message not stored');
        callback(smtpError(451, `cannot store the message: ${errorMessage(err)}`));
      });
  }
}

/** A Message-ID without its angle brackets. */
export function bare(messageId: string): string {
  return messageId.trim().replace(/^</, '').replace(/>$/, '');
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

function addressText(a: AddressObject | AddressObject[] | undefined): string {
  if (!a) return '';
  return (Array.isArray(a) ? a : [a]).flatMap((o) => o.value.map((v) => v.address ?? '')).join(', ');
}

function toMail(r: Row): CapturedMail {
  return {
    id: r['id'] as number,
    messageId: (r['message_id'] as string | null) ?? null,
    receivedAt: r['received_at'] as number,
    from: r['mail_from'] as string,
    to: JSON.parse(r['rcpt_to'] as string) as string[],
    subject: r['subject'] as string,
    text: r['text'] as string,
    alarmId: (r['alarm_id'] as number | null) ?? null,
    transition: (r['transition'] as string | null) ?? null,
    size: r['size'] as number,
  };
}
