export { Outbox, OutboxFullError, type OutboxOptions, type OutboxRecovery } from './outbox.ts';
export { nodeOutboxFs, powerCutFs, PowerCutError, type OutboxFs, type OutboxFile, type PowerCutFs } from './outbox-fs.ts';
export { UplinkClient, type UplinkClientOptions, type UplinkState, type UplinkStatus } from './client.ts';
export type { UplinkIdentity, PushHandler, PushResult } from './client-session.ts';
export { DEFAULT_UPLINK_TIMING, backoffDelay, type UplinkTiming } from './timing.ts';
