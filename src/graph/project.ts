/**
 * graphTransfers: a caller's graphology directed multigraph → the engine's Transfer records, the
 * same records the store path projects onto the sweep's typed columns (taint/columns.ts). Each edge
 * is one transfer from its source node to its target node (node keys are the addresses) with
 * attributes `amount` and `fee` (µXEM, non-negative safe integers or bigints), `height` and
 * `timeStamp` (NEM timestamp, seconds) as non-negative integers, and optionally `hash` (default:
 * the edge key) and `memo`. Every edge is checked; the first bad one is a TRACE_INVALID_OPTION
 * naming the edge and the attribute, and nothing is traced.
 */
import type { MultiDirectedGraph } from 'graphology';
import type { Attributes } from 'graphology-types';
import { TracerError } from '../errors.js';
import { nemToIso } from '../nem/index.js';
import type { Transfer } from '../nem/index.js';

/** What traceGraph and exposure read from an edge. */
export interface TransferEdgeAttributes {
  amount: number | bigint;
  fee: number | bigint;
  height: number;
  timeStamp: number;
  hash?: string;
  memo?: string | null;
}

/** Graphs traceGraph and exposure accept: any directed multigraph whose edges carry transfers. */
export type TransferGraph<N extends Attributes = Attributes, E extends Attributes = Attributes> = MultiDirectedGraph<N, E>;

const MAX_TIME = 2 ** 31 - 1;

export function graphTransfers(graph: TransferGraph): Transfer[] {
  if (graph === null || typeof graph !== 'object' || typeof graph.forEachEdge !== 'function') {
    throw new TypeError('expected a graphology graph');
  }
  if (graph.type === 'undirected')
    throw new TracerError('TRACE_INVALID_OPTION', 'the graph must be directed (transfers have a sender and a recipient)');
  const out: Transfer[] = [];
  const hashes = new Map<string, string>();
  graph.forEachEdge((key, edgeAttrs, source, target, _sa, _ta, undirected) => {
    const attrs = edgeAttrs as Record<string, unknown>;
    const bad = (field: string, want: string): never => {
      throw new TracerError(
        'TRACE_INVALID_OPTION',
        `graph edge ${JSON.stringify(key)}: ${field} must be ${want}, got ${show(attrs[field])}`,
        { details: { edge: key, field } },
      );
    };
    if (undirected) bad('(edge)', 'directed');
    const amount = micro(attrs.amount) ?? bad('amount', 'a non-negative safe integer of µXEM');
    const fee = micro(attrs.fee ?? 0) ?? bad('fee', 'a non-negative safe integer of µXEM');
    const height = isInt(attrs.height) && attrs.height <= MAX_TIME ? attrs.height : bad('height', 'a non-negative integer');
    const ts = attrs.timeStamp;
    const timeStamp = isInt(ts) && ts <= MAX_TIME ? ts : bad('timeStamp', 'a NEM timestamp (non-negative integer seconds)');
    const hash = attrs.hash === undefined ? key : attrs.hash;
    if (typeof hash !== 'string' || hash === '') bad('hash', 'a non-empty string');
    const lower = (hash as string).toLowerCase();
    const prior = hashes.get(lower);
    if (prior !== undefined) bad('hash', `unique (edge ${JSON.stringify(prior)} has the same)`);
    hashes.set(lower, key);
    const memo = attrs.memo ?? null;
    if (memo !== null && typeof memo !== 'string') bad('memo', 'a string or null');
    out.push({
      hash: hash as string,
      innerHash: null,
      height,
      timeStamp,
      time: nemToIso(timeStamp),
      sender: source,
      recipient: target,
      amount: source === target ? 0 : amount,
      fee,
      message: memo as string | null,
      messageType: memo === null ? 0 : 1,
      mosaics: [],
      type: 257,
      signer: source,
    });
  });
  return out;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function micro(v: unknown): number | null {
  if (typeof v === 'bigint') return v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : null;
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null;
}

function show(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
