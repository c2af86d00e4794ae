/**
 * Seeds given by hash (docs/nis1.md §7): `/transaction/get?hash=` on any trusted node. The answer gets the
 * same checks as a list item (docs/contracts.md §6): normalised, hash recomputed — a body changed under the
 * genuine hash is refused —, every signature verified, and it must be the transfer asked for. NIS
 * answers only while the hash is in its 36-hour cache, so a failure says to give the seed as an
 * account window instead.
 */
import { TracerError, isTracerError } from '../errors.js';
import { type Transfer, checkTransactionPair } from '../nem/index.js';
import type { NodePool } from './node-pool.js';
import type { PageVerifier } from './options.js';

export async function fetchSeedTransfer(
  pool: NodePool,
  verifier: PageVerifier,
  hash: string,
  index: number,
  signal: AbortSignal,
): Promise<Transfer> {
  const path = `/transaction/get?hash=${hash}`;
  try {
    return await pool.requestAny(path, async (body, node) => {
      const request = `GET ${path}`;
      const c = checkTransactionPair(body, `${node} ${request}`);
      if (c.normalized.kind !== 'transfer' || c.normalized.transfer.hash !== hash) {
        throw new TracerError('TRACE_MALFORMED_RESPONSE', `${node} ${request}: not the transfer ${hash}`, { details: { node, request } });
      }
      const bad = await verifier.firstBad([c.parts]);
      if (bad !== null)
        throw new TracerError('TRACE_MALFORMED_RESPONSE', `${node} ${request}: ${bad.reason}`, { details: { node, request } });
      return c.normalized.transfer;
    });
  } catch (err) {
    if (signal.aborted || isTracerError(err, 'TRACE_MALFORMED_RESPONSE')) throw err; // stopped, or every node lied
    throw new TracerError(
      'TRACE_NODE_HTTP',
      `seeds[${index}]: no node could look up transaction ${hash} by hash (NIS keeps its hash index for 36 hours only); ` +
        'give the seed as { account, from, to } instead',
      { cause: err, retryable: false },
    );
  }
}
