/**
 * The event contract (docs/contracts.md §6 "Events"): one JSON object per line, in a durable sequence.
 * `at` is the chain time of what happened (the transfer's time; the data's time for index.updated), so
 * following a chain live and tracing it in one batch raise the same events.
 */
import type { Policy } from '../taint/index.js';

export const EVENT_TYPES = [
  'account.tainted',
  'exit.reached',
  'watch.moved',
  'watch.drained',
  'transfer.retracted',
  'index.updated',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventExit {
  label: string;
  category: string;
  memo?: string;
}

export interface TaintEvent {
  seq: number;
  type: EventType;
  /** ISO-8601 UTC. */
  at: string;
  height: number;
  /** false while the height is above tip − 360 (docs/contracts.md §6 "Finality"). */
  final: boolean;
  caseId: string;
  /** The policy the event is about (account.tainted: the first, canonical order, that tainted it). */
  policy?: Policy;
  account?: string;
  /** XEM, six decimals. */
  amount?: string;
  /** Per policy, XEM with six decimals (account.tainted: taint received; exit.reached: taint carried). */
  amounts?: Partial<Record<Policy, string>>;
  transfer?: string;
  exit?: EventExit;
  /** watch.* events: the watch-list entry's label. */
  watch?: { label: string | null };
  /** index.updated: what the index holds. */
  index?: { accounts: number; transfers: number; provisional: number };
}

/** An event before the log numbers it, with the key that makes it fire once (null: always fires). */
export interface NewEvent {
  event: Omit<TaintEvent, 'seq'>;
  key: string | null;
}
