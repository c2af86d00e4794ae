/**
 * Validation of one `/account/transfers/incoming|outgoing` page (docs/nis1.md §7, "Untrusted pages").
 * Everything is checked before anything is written; the first problem throws
 * TRACE_MALFORMED_RESPONSE naming the node and the request:
 *
 * - the body is `{ data: [...] }` with at most `pageSize` items, each a valid TransactionMetaDataPair
 *   (normalizeTransaction: types, hashes, public keys, amounts within the supply, v2 mosaic rule);
 * - paging: `meta.id` strictly descending, every id below the requested `id`, no hash twice, heights
 *   never increasing as ids fall (ids follow block order);
 * - integrity (src/nem/verify.ts `checkTransactionPair`): for every transfer (257, and 4100 wrapping
 *   one) the NEM hash recomputed from the transaction's fields equals `meta.hash` (and
 *   `meta.innerHash`), and the item's signatures are well formed; they are returned in
 *   `PageItem.parts` for the caller to verify (src/nem/verify-pool.ts) before anything is stored;
 * - ownership: a plain transfer (257) in an account's *outgoing* list is signed by that account
 *   (a 4100 may be listed for any cosignatory — docs/nis1.md §2 — so it is not held to this); a transfer
 *   in an account's *incoming* list pays that account.
 *
 * Repeats: a crawl sees most transfers twice (the sender's outgoing list, the recipient's incoming
 * list). With `ctx.validated`, an item deeply equal (same JSON value, `Object.is` on every leaf) to
 * one that passed normalisation and the hash check before is not normalised and hashed again — those
 * are pure functions of the item, so the answer would be the same; the paging and ownership checks,
 * which depend on the page, run on every item.
 */
import { TracerError } from '../errors.js';
import { TX_TYPE, type Transfer, checkTransactionPair, type SignedPart } from '../nem/index.js';

export type ListName = 'incoming' | 'outgoing';

export interface PageItem {
  id: number;
  hash: string;
  height: number;
  timeStamp: number;
  /** The normalised transfer, or null for another transaction type. */
  transfer: Transfer | null;
  /** The signatures of a transfer, still to verify (empty for other types). */
  parts: SignedPart[];
}

export interface PageContext {
  node: string;
  request: string;
  address: string;
  list: ListName;
  pageSize: number;
  /** The `id` the request asked below (null for the newest page). */
  belowId: number | null;
  /** Height of the last item of the previous page of this pass (items may not be newer). */
  belowHeight: number | null;
  /** Items that passed the per-item checks before (a crawl keeps one for its whole run). */
  validated?: ValidatedItems;
}

interface Checked {
  raw: unknown;
  type: number;
  item: Omit<PageItem, 'id'>;
}

/**
 * Items that passed the per-item checks (normalisation, hash recomputation), keyed by `meta.hash`,
 * with the parsed item they came from; at most `capacity` (oldest forgotten first).
 */
export class ValidatedItems {
  items = 0;
  reused = 0;
  private readonly map = new Map<string, Checked>();
  constructor(readonly capacity = 20_000) {}

  /** The earlier result for an item deeply equal to `raw`, if any. */
  lookup(raw: unknown): Checked | undefined {
    const h = (raw as { meta?: { hash?: { data?: unknown } } })?.meta?.hash?.data;
    if (typeof h !== 'string') return undefined;
    const c = this.map.get(h);
    return c !== undefined && deepEqual(c.raw, raw) ? c : undefined;
  }

  remember(raw: unknown, c: Checked): void {
    if (this.capacity <= 0) return;
    const h = (raw as { meta: { hash: { data: string } } }).meta.hash.data;
    if (this.map.size >= this.capacity && !this.map.has(h)) this.map.delete(this.map.keys().next().value as string);
    this.map.set(h, c);
  }
}

/** Structural equality of two parsed JSON values (`Object.is` on leaves, same keys in the same order). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return false;
    if (!deepEqual((a as Record<string, unknown>)[ka[i]], (b as Record<string, unknown>)[ka[i]])) return false;
  }
  return true;
}

export function validatePage(body: unknown, ctx: PageContext): PageItem[] {
  const where = `${ctx.node} ${ctx.request}`;
  const fail = (problem: string, details: Record<string, unknown> = {}): never => {
    throw new TracerError('TRACE_MALFORMED_RESPONSE', `${where}: ${problem}`, {
      details: { node: ctx.node, request: ctx.request, ...details },
    });
  };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('body must be an object { data: [...] }');
  const data = (body as { data?: unknown }).data;
  if (!Array.isArray(data)) fail('body.data must be an array');
  const list = data as unknown[];
  if (list.length > ctx.pageSize) fail(`page holds ${list.length} items, more than pageSize ${ctx.pageSize}`);
  const items: PageItem[] = [];
  const seen = new Set<string>();
  let prevId = ctx.belowId ?? Number.POSITIVE_INFINITY;
  let prevHeight = ctx.belowHeight ?? Number.POSITIVE_INFINITY;
  const cache = ctx.validated;
  list.forEach((raw, i) => {
    if (cache) cache.items++;
    const hit = cache?.lookup(raw);
    if (hit) cache!.reused++;
    const checked = hit ?? checkItem(raw, i, where, { node: ctx.node, request: ctx.request });
    const { item } = checked;
    const id = (raw as { meta: { id: number } }).meta.id;
    if (id >= prevId)
      fail(
        i === 0
          ? `data[0].meta.id ${id} is not below the requested id ${ctx.belowId}`
          : `data[${i}].meta.id ${id} is not below data[${i - 1}].meta.id ${prevId} (paging must go strictly backwards)`,
        { index: i },
      );
    if (item.height > prevHeight)
      fail(`data[${i}].meta.height ${item.height} is above the height of an item with a larger id (${prevHeight})`, { index: i });
    if (seen.has(item.hash)) fail(`data[${i}] repeats hash ${item.hash}`, { index: i });
    seen.add(item.hash);
    const type = checked.type;
    if (item.transfer) {
      const t = item.transfer;
      if (ctx.list === 'outgoing' && type === TX_TYPE.TRANSFER && t.signer !== ctx.address) {
        fail(`data[${i}] is a plain transfer signed by ${t.signer}, listed as outgoing of ${ctx.address}`, { index: i });
      }
      if (ctx.list === 'incoming' && t.recipient !== ctx.address)
        fail(`data[${i}] pays ${t.recipient}, listed as incoming of ${ctx.address}`, { index: i });
    } else if (ctx.list === 'outgoing' && type === TX_TYPE.TRANSFER) {
      fail(`data[${i}] is a plain transfer that does not normalise as one`, { index: i });
    }
    prevId = id;
    prevHeight = item.height;
    items.push({ id, hash: item.hash, height: item.height, timeStamp: item.timeStamp, transfer: item.transfer, parts: item.parts });
    if (cache && !hit) cache.remember(raw, checked);
  });
  return items;
}

/** The page-independent checks of one item: normalisation, recomputed hash(es), well-formed signatures. */
function checkItem(raw: unknown, i: number, where: string, details: Record<string, unknown>): Checked {
  let c;
  try {
    c = checkTransactionPair(raw, `${where} data[${i}]`);
  } catch (err) {
    if (!(err instanceof TracerError)) throw err;
    throw new TracerError(err.code, err.message, { details: { ...err.details, ...details, index: i } });
  }
  const n = c.normalized;
  const base = n.kind === 'transfer' ? n.transfer : n.other;
  return {
    raw,
    type: c.type,
    item: {
      hash: base.hash,
      height: base.height,
      timeStamp: base.timeStamp,
      transfer: n.kind === 'transfer' ? n.transfer : null,
      parts: c.parts,
    },
  };
}
