/**
 * The served index: a slot the handlers read on every request, filled at build time (`index`), by
 * a background load (`loadIndex`), or swapped later (`setServerIndex`). Each index gets its own
 * account answer cache (answers.ts), warmed in the background.
 */
import type { FastifyInstance } from 'fastify';
import { TracerError } from '../errors.js';
import type { TaintIndex } from '../screen/index-types.js';
import { AccountAnswers } from './answers.js';

export class ServerState {
  index: TaintIndex | null = null;
  loadError: unknown = null;
  /** Account answers of `index`. */
  answers: AccountAnswers | null = null;
  /** Settles when the cache of the current index is warm (at once when warming is off). */
  warm: Promise<void> = Promise.resolve();
  /** Set when the server closes: background work stops. */
  closing = false;

  constructor(
    private readonly cacheBytes: number | undefined,
    private readonly warmCache: boolean,
  ) {}

  /** Serves `index` from now on; its answer cache starts afresh. */
  serve(index: TaintIndex): void {
    const answers = new AccountAnswers(index, this.cacheBytes);
    this.index = index;
    this.loadError = null;
    this.answers = answers;
    if (this.warmCache) this.warm = answers.warm(() => this.answers !== answers || this.closing);
  }

  /** The index, or throws 503 TRACE_INDEX_NOT_READY. */
  indexOr503(): TaintIndex {
    if (!this.index) throw this.notReady();
    return this.index;
  }

  /** The answers of the index, or throws 503 TRACE_INDEX_NOT_READY. */
  answersOr503(): AccountAnswers {
    if (!this.answers) throw this.notReady();
    return this.answers;
  }

  notReady(): TracerError {
    if (this.loadError) {
      const e = this.loadError as { message?: string };
      return new TracerError('TRACE_INDEX_NOT_READY', `the taint index could not be loaded: ${e.message ?? String(this.loadError)}`);
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

/** Replace the served index (e.g. after a new trace); its answer cache starts afresh. */
export function setServerIndex(app: FastifyInstance, index: TaintIndex): void {
  stateOf(app, 'setServerIndex').serve(index);
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
