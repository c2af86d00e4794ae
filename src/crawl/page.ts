/**
 * Validation of one `/account/transfers/incoming|outgoing` page (DESIGN §2 "untrusted input").
 * Everything is checked before anything is written; the first problem throws
 * TRACE_MALFORMED_RESPONSE naming the node and the request:
 *
 * - the body is `{ data: [...] }` with at most `pageSize` items, each a valid TransactionMetaDataPair
 *   (normalizeTransaction: types, hashes, public keys, amounts within the supply, v2 mosaic rule);
 * - paging: `meta.id` strictly descending, every id below the requested `id`, no hash twice, heights
 *   never increasing as ids fall (ids follow block order);
 * - integrity: for every transfer (257, and 4100 wrapping one) the NEM hash recomputed from the
 *   transaction's fields (src/nem/serialize.ts) equals `meta.hash` (and `meta.innerHash`), so no
 *   field that the store keeps can have been altered under a genuine hash;
 * - ownership: a plain transfer (257) in an account's *outgoing* list is signed by that account
 *   (a 4100 may be listed for any cosignatory — NEM.md §1.2 — so it is not held to this); a transfer
 *   in an account's *incoming* list pays that account.
 */
import { TracerError } from '../errors.js';
import { normalizeTransaction } from '../nem/normalize.js';
import { innerTransactionHash, transactionHash } from '../nem/serialize.js';
import { TX_TYPE, type NisTransaction, type Transfer } from '../nem/types.js';

export type ListName = 'incoming' | 'outgoing';

export interface PageItem {
  id: number;
  hash: string;
  height: number;
  timeStamp: number;
  /** The normalised transfer, or null for another transaction type. */
  transfer: Transfer | null;
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
}

export function validatePage(body: unknown, ctx: PageContext): PageItem[] {
  const where = `${ctx.node} ${ctx.request}`;
  const fail = (problem: string, details: Record<string, unknown> = {}): never => {
    throw new TracerError('TRACE_MALFORMED_RESPONSE', `${where}: ${problem}`, { details: { node: ctx.node, request: ctx.request, ...details } });
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
  list.forEach((raw, i) => {
    const n = normalizeTransaction(raw, `${where} data[${i}]`);
    const id = (raw as { meta: { id: number } }).meta.id;
    const base = n.kind === 'transfer' ? n.transfer : n.other;
    if (id >= prevId) fail(i === 0 ? `data[0].meta.id ${id} is not below the requested id ${ctx.belowId}` : `data[${i}].meta.id ${id} is not below data[${i - 1}].meta.id ${prevId} (paging must go strictly backwards)`, { index: i });
    if (base.height > prevHeight) fail(`data[${i}].meta.height ${base.height} is above the height of an item with a larger id (${prevHeight})`, { index: i });
    if (seen.has(base.hash)) fail(`data[${i}] repeats hash ${base.hash}`, { index: i });
    seen.add(base.hash);
    const type = (raw as { transaction: { type: number } }).transaction.type;
    if (n.kind === 'transfer') {
      const t = n.transfer;
      const tx = (raw as { transaction: NisTransaction }).transaction;
      let computed: string;
      let computedInner: string | null = null;
      try {
        computed = transactionHash(tx);
        if (type === TX_TYPE.MULTISIG) computedInner = innerTransactionHash(tx);
      } catch (err) {
        return fail(`data[${i}] does not serialise (${(err as Error).message})`, { index: i });
      }
      if (computed !== t.hash) fail(`data[${i}].meta.hash ${t.hash} is not the hash of its transaction (${computed})`, { index: i });
      if (computedInner !== t.innerHash) fail(`data[${i}].meta.innerHash ${t.innerHash} is not the hash of its inner transaction (${computedInner})`, { index: i });
      if (ctx.list === 'outgoing' && type === TX_TYPE.TRANSFER && t.signer !== ctx.address) {
        fail(`data[${i}] is a plain transfer signed by ${t.signer}, listed as outgoing of ${ctx.address}`, { index: i });
      }
      if (ctx.list === 'incoming' && t.recipient !== ctx.address) fail(`data[${i}] pays ${t.recipient}, listed as incoming of ${ctx.address}`, { index: i });
    } else if (ctx.list === 'outgoing' && type === TX_TYPE.TRANSFER) {
      fail(`data[${i}] is a plain transfer that does not normalise as one`, { index: i });
    }
    prevId = id;
    prevHeight = base.height;
    items.push({ id, hash: base.hash, height: base.height, timeStamp: base.timeStamp, transfer: n.kind === 'transfer' ? n.transfer : null });
  });
  return items;
}
