/**
 * The served index: a slot the handlers read on every request, filled at build time (`index`), by
 * a background load (`loadIndex`), or swapped later (`setServerIndex`, the follow job after each
 * re-trace).
 *
 * The slot holds one immutable pair — the index and its account answer cache (answers.ts) — and a
 * swap replaces that pair in one assignment. A handler takes the pair once and answers from it
 * alone, so every answer comes whole from the old index or the new one, never a mix, and a
 * request that started on the old index finishes on it (the old pair stays alive as long as
 * something holds it). Each index gets its own cache, warmed in the background.
 */
import { inspect } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { TracerError } from '../errors.js';
import type { TaintIndex } from '../screen/index.js';
import { AccountAnswers } from './answers.js';

export class ServerState {
  /** The served index with its answers: replaced whole, never mutated. */
  private served: AccountAnswers | null = null;
  loadError: unknown = null;
  /** Settles when the cache of the current index is warm (at once when warming is off). */
  warm: Promise<void> = Promise.resolve();
  /** Set when the server closes: background work stops. */
  closing = false;
  /** Number of indexes served so far (1 after the first, +1 per swap). */
  generation = 0;

  constructor(
    private readonly cacheBytes: number | undefined,
    private readonly warmCache: boolean,
  ) {}

  /** The served index, or null before one is loaded. */
  get index(): TaintIndex | null {
    return this.served?.index ?? null;
  }

  /** The account answers of the served index (they carry the index: `answers.index`), or null. */
  get answers(): AccountAnswers | null {
    return this.served;
  }

  /** Serves `index` from now on, in one step; its answer cache starts afresh. */
  serve(index: TaintIndex): void {
    const answers = new AccountAnswers(index, this.cacheBytes);
    this.served = answers;
    this.loadError = null;
    this.generation++;
    if (this.warmCache) this.warm = answers.warm(() => this.served !== answers || this.closing);
  }

  /** The index, or throws 503 TRACE_INDEX_NOT_READY. */
  indexOr503(): TaintIndex {
    return this.answersOr503().index;
  }

  /** The answers of the index (and through them the index), or throws 503 TRACE_INDEX_NOT_READY. */
  answersOr503(): AccountAnswers {
    if (!this.served) throw this.notReady();
    return this.served;
  }

  notReady(): TracerError {
    if (this.loadError) {
      const why = this.loadError instanceof Error ? this.loadError.message : inspect(this.loadError);
      return new TracerError('TRACE_INDEX_NOT_READY', `the taint index could not be loaded: ${why}`);
    }
    return new TracerError('TRACE_INDEX_NOT_READY', 'the taint index is not loaded yet');
  }
}

const states = new WeakMap<FastifyInstance, ServerState>();

export function attachState(app: FastifyInstance, state: ServerState): void {
  states.set(app, state);
}

function stateOf(app: FastifyInstance, what: string): ServerState {
  const state = states.get(app);
  if (!state) throw new TypeError(`${what}: not a tainttrace server`);
  return state;
}

/**
 * Replace the served index (e.g. after a re-trace) in one step: requests answered from now on see
 * only `index`; requests already running finish on the index they started with. Its answer cache
 * starts afresh.
 */
export function setServerIndex(app: FastifyInstance, index: TaintIndex): void {
  stateOf(app, 'setServerIndex').serve(index);
}

/** The index the server answers from now (null before one is loaded). */
export function servedIndex(app: FastifyInstance): TaintIndex | null {
  return stateOf(app, 'servedIndex').index;
}

/**
 * Resolves once the account answer cache of the served index is filled (see answers.ts), with
 * what it holds; at once with zeros while no index is loaded.
 */
export async function accountCacheWarm(app: FastifyInstance): Promise<{ entries: number; bytes: number }> {
  const state = stateOf(app, 'accountCacheWarm');
  for (;;) {
    const answers = state.answers;
    await state.warm;
    if (state.answers === answers) return answers?.size ?? { entries: 0, bytes: 0 };
  }
}
