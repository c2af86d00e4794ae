/**
 * Request size limits beyond fastify's byte limit (`bodyLimit`): at most `maxDeposits` deposits
 * in one screen request (413 TRACE_PAYLOAD_TOO_LARGE above), checked before validation so an
 * oversized batch is refused without validating each deposit.
 */
import { TracerError } from '../../errors.js';
import type { Hook, ServerContext } from '../context.js';

export function batchLimit(ctx: ServerContext): Hook {
  const max = ctx.config.limits.maxDeposits;
  return (request, _rep, done) => {
    const deposits = (request.body as { deposits?: unknown } | null)?.deposits;
    if (Array.isArray(deposits) && deposits.length > max) {
      return done(new TracerError('TRACE_PAYLOAD_TOO_LARGE', `${deposits.length} deposits in one request; at most ${max}`));
    }
    done();
  };
}
