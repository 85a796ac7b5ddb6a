/**
 * The messages of uplink protocol version 1, with readable field names. T→C: terminal to cloud,
 * C→T: cloud to terminal. Sequence numbers are positive safe integers (≤ 2^53−1); times are
 * clock ms since the Unix epoch.
 */
import { z } from 'zod';
import type { KeyMap } from './keys.ts';
import type { MessageTypeName } from './frame.ts';

/** Why the cloud refused a session. */
export const REJECT_REASONS = ['unknown-modem', 'bad-auth', 'protocol', 'refused'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const PUSH_KINDS = ['config', 'command'] as const;
export type PushKind = (typeof PUSH_KINDS)[number];

/** T→C, first message: who is calling and the highest seq it knows was acknowledged. */
export interface HelloMessage {
  type: 'hello';
  modemNo: string;
  model: string;
  firmware: string;
  lastAckedSeq: number;
  /** Compression methods the terminal offers (compression.ts), best first. */
  z?: string[] | undefined;
}
/** C→T: a fresh random nonce (hex) to be signed. */
export interface ChallengeMessage {
  type: 'challenge';
  nonce: string;
}
/** T→C: HMAC-SHA256(modem secret, nonce bytes), hex. */
export interface AuthMessage {
  type: 'auth';
  mac: string;
}
/**
 * C→T: the session is open. `upTo` is the highest seq the cloud holds contiguously for this
 * modem (the terminal may treat everything up to it as acknowledged).
 */
export interface WelcomeMessage {
  type: 'welcome';
  serverTime: number;
  configVersion: number;
  upTo: number;
  /** The compression method agreed for the rest of the session, if any. */
  z?: string | undefined;
}
/** C→T: the session is refused; the cloud closes the link after it. */
export interface RejectMessage {
  type: 'reject';
  reason: RejectReason;
  text: string;
}
/** T→C: one record. */
export interface RecordMessage {
  type: 'record';
  seq: number;
  at: number;
  kind: string;
  body: unknown;
}
/** C→T: every record up to and including `upTo` is stored (cumulative). */
export interface AckMessage {
  type: 'ack';
  upTo: number;
}
/**
 * C→T: record `seq` could not be stored (nor anything sent after it). The terminal sends again
 * from `seq`, not before `retryInMs`.
 */
export interface NackMessage {
  type: 'nack';
  seq: number;
  reason: string;
  retryInMs: number;
}
/** C→T: configuration or a command, to be answered with PUSH_ACK of the same id. */
export interface PushMessage {
  type: 'push';
  id: string;
  kind: PushKind;
  body: unknown;
}
/** T→C: the outcome of a push. */
export interface PushAckMessage {
  type: 'push-ack';
  id: string;
  ok: boolean;
  text?: string;
}
/** Either way: keepalive; answered with PONG carrying the same `n`. */
export interface PingMessage {
  type: 'ping';
  n: number;
}
export interface PongMessage {
  type: 'pong';
  n: number;
}
/** Either way: the sender is closing the session. */
export interface ByeMessage {
  type: 'bye';
  reason: string;
}

export type UplinkMessage =
  | HelloMessage
  | ChallengeMessage
  | AuthMessage
  | WelcomeMessage
  | RejectMessage
  | RecordMessage
  | AckMessage
  | NackMessage
  | PushMessage
  | PushAckMessage
  | PingMessage
  | PongMessage
  | ByeMessage;

export type MessageOf<T extends MessageTypeName> = Extract<UplinkMessage, { type: T }>;

const seq = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const seqOrZero = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const time = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `expected ${bytes * 2} lowercase hex digits`);
const label = (max: number) => z.string().min(1).max(max);

/** Field rules of each message (without `type`). */
export const MESSAGE_SCHEMAS: { readonly [T in MessageTypeName]: z.ZodType } = {
  hello: z.strictObject({ modemNo: label(32), model: label(32), firmware: label(32), lastAckedSeq: seqOrZero, z: z.array(label(32)).max(8).optional() }),
  challenge: z.strictObject({ nonce: hex(16) }),
  auth: z.strictObject({ mac: hex(32) }),
  welcome: z.strictObject({ serverTime: time, configVersion: seqOrZero, upTo: seqOrZero, z: label(32).optional() }),
  reject: z.strictObject({ reason: z.enum(REJECT_REASONS), text: z.string().max(256) }),
  record: z.strictObject({ seq, at: time, kind: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'expected a kebab-case kind'), body: z.unknown() }),
  ack: z.strictObject({ upTo: seqOrZero }),
  nack: z.strictObject({ seq, reason: z.string().max(256), retryInMs: z.number().int().nonnegative().max(86_400_000) }),
  push: z.strictObject({ id: label(32), kind: z.enum(PUSH_KINDS), body: z.unknown() }),
  'push-ack': z.strictObject({ id: label(32), ok: z.boolean(), text: z.string().max(256).optional() }),
  ping: z.strictObject({ n: seqOrZero }),
  pong: z.strictObject({ n: seqOrZero }),
  bye: z.strictObject({ reason: z.string().max(256) }),
};

/** Wire keys of each message's fields. */
export const MESSAGE_KEYS: { readonly [T in MessageTypeName]: KeyMap } = {
  hello: { modemNo: 'm', model: 'md', firmware: 'fw', lastAckedSeq: 'la', z: 'z' },
  challenge: { nonce: 'n' },
  auth: { mac: 'h' },
  welcome: { serverTime: 't', configVersion: 'cv', upTo: 'u', z: 'z' },
  reject: { reason: 'r', text: 't' },
  record: { seq: 's', at: 't', kind: 'k', body: 'b' },
  ack: { upTo: 'u' },
  nack: { seq: 's', reason: 'r', retryInMs: 'w' },
  push: { id: 'i', kind: 'k', body: 'b' },
  'push-ack': { id: 'i', ok: 'ok', text: 't' },
  ping: { n: 'n' },
  pong: { n: 'n' },
  bye: { reason: 'r' },
};
