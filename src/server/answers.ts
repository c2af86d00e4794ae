/**
 * Account answers as JSON bytes, per index: GET /v1/accounts/{address} gets the answer and sends it
 * as it is — no view objects, no response serialisation, no checksum (Keccak) for an address the index
 * holds (`known`). The answer's bytes are written from the packed index by `AccountBytes`
 * (src/screen/account-bytes.ts, byte for byte `JSON.stringify(accountView(…))`) as a Buffer: node
 * writes a Buffer to the socket as it is, while a string is re-encoded on every response.
 *
 * An optional cache (`maxBytes`, `ServerOptions.accountCacheBytes`; off by default) keeps answers in a Map
 * bounded by bytes (each entry counted as its key, its bytes and 96 bytes of overhead), so neither the
 * index's size nor a client sending many valid unknown addresses grows memory without bound. Off by
 * default since the answers are written as bytes: writing one costs about what the cache's bookkeeping
 * (insert, evict) costs on a miss, and a random lookup over a large index mostly misses (README
 * "Account lookups" has the same-run comparison). When full it drops the oldest entry (insertion order).
 * A hit does not reorder the Map: a delete-and-set per hit (true LRU) churns the Map's table, and that garbage lands in the old
 * generation, where collecting it beside a large index is what costs most. Keys are the address
 * text as sent: the canonical form; another accepted spelling (lower case, dashes) is answered
 * correctly without caching. `maxBytes` 0 turns caching off.
 *
 * `warm()` fills the cache with every indexed account's answer ahead of the requests, a slice at
 * a time between turns of the event loop (≈ 10 µs per answer: about a second per 100,000 accounts),
 * and stops when the budget is nearly used.
 */
import { AccountBytes, type TaintIndex, indexedAddress } from '../screen/index.js';

const ENTRY_OVERHEAD = 96;
/** Valid unknown addresses remembered as checked (≈ 100 bytes each). */
const MAX_CHECKED = 65_536;

/** Default budget: none (see above); 16 MiB holds about 11,000 answers of six policies. */
export const DEFAULT_ACCOUNT_CACHE_BYTES = 0;

export class AccountAnswers {
  private readonly cache = new Map<string, Buffer>();
  private used = 0;
  /** Valid addresses the index does not know, seen lately (bounded, oldest dropped): no Keccak again. */
  private readonly checked = new Set<string>();

  readonly maxBytes: number;
  private readonly writer: AccountBytes;

  constructor(
    readonly index: TaintIndex,
    maxBytes?: number,
  ) {
    this.maxBytes = maxBytes ?? DEFAULT_ACCOUNT_CACHE_BYTES;
    this.writer = new AccountBytes(index);
  }

  /** The JSON answer (UTF-8) for an address in any accepted spelling. Throws TRACE_INVALID_ADDRESS. */
  get(text: string): Buffer {
    const hit = this.cache.get(text);
    if (hit !== undefined) return hit;
    const address = this.canonical(text);
    const json = this.writer.answer(address);
    if (address === text) this.keep(address, json);
    return json;
  }

  /**
   * The answer for exactly this text when the text is an address the index vouches for — an indexed account
   * or a labelled address (both checked when they entered the index), or one checked lately — else undefined,
   * without validating anything: the hit path of the route. The text is looked up in the index first, so a
   * known address costs no checksum (Keccak) and no schema check; anything else goes to `get`.
   */
  known(text: string): Buffer | undefined {
    const hit = this.cache.get(text);
    if (hit !== undefined) return hit;
    if (text.length !== 40) return undefined;
    const row = this.index.addressRow(text);
    if (!((row >= 0 && this.index.a.acct[row] >= 0) || this.index.labels.has(text) || this.checked.has(text))) return undefined;
    const json = this.writer.answerRow(text, row);
    this.keep(text, json);
    return json;
  }

  /**
   * The canonical form of an address in any accepted spelling, like parseAddress, without the
   * checksum for addresses the index holds or that were checked lately. Throws TRACE_INVALID_ADDRESS.
   */
  canonical(text: string): string {
    if (this.checked.has(text)) return text;
    const address = indexedAddress(this.index, text);
    if (address === text && !this.index.accounts.has(address) && !this.index.labels.has(address)) {
      if (this.checked.size >= MAX_CHECKED) this.checked.delete(this.checked.values().next().value!);
      this.checked.add(address);
    }
    return address;
  }

  /**
   * Computes the answers of the indexed accounts (then labelled addresses) ahead of time, `slice`
   * per turn of the event loop, until all are cached, the budget is nearly used, or `stop()`.
   */
  async warm(stop: () => boolean = () => false, slice = 256): Promise<void> {
    let n = 0;
    for (const source of [this.index.accounts.keys(), this.index.labels.keys()]) {
      for (const address of source) {
        if (this.used + 4096 > this.maxBytes) return;
        if (!this.cache.has(address)) this.get(address);
        if (++n % slice === 0) {
          await new Promise((resolve) => setImmediate(resolve));
          if (stop()) return;
        }
      }
    }
  }

  /** Whether the answer for exactly this text is cached. */
  has(text: string): boolean {
    return this.cache.has(text);
  }

  /** Entries and bytes held (for tests and metrics). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.used };
  }

  private keep(key: string, json: Buffer): void {
    const cost = key.length + json.length + ENTRY_OVERHEAD;
    if (cost > this.maxBytes) return;
    this.used += cost;
    this.cache.set(key, json);
    while (this.used > this.maxBytes) {
      const [oldKey, oldJson] = this.cache.entries().next().value as [string, Buffer];
      this.cache.delete(oldKey);
      this.used -= oldKey.length + oldJson.length + ENTRY_OVERHEAD;
    }
  }
}
