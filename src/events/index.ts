/** Events: the durable sequence in the store, their derivation from a trace, watch lists, webhooks. */
export { EVENT_TYPES, type EventType, type TaintEvent, type NewEvent, type EventExit } from './types.js';
export { EventLog, type EventSource, EVENTS_SUBLEVEL, EVENTS_MIRROR, lastMirrorSeq } from './log.js';
export { deriveEvents, isFinal, FINALITY_DEPTH, type DeriveInput } from './derive.js';
export { parseWatchList, loadWatchList, type WatchEntry, type WatchList } from './watch-list.js';
export { watchConflicts, carryBalance, type WatchOpening, type WatchConflict } from './watch-balance.js';
export {
  runWebhook,
  signBody,
  readWebhookSecret,
  parseWebhookUrl,
  readPosition,
  WEBHOOKS_SUBLEVEL,
  type WebhookOptions,
  type WebhookPosition,
} from './webhook.js';
export { MirrorReader } from './mirror.js';
export { formatEvent } from './format.js';
