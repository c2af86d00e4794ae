/**
 * Who is asking: with API keys configured, a request must present a known key
 * (`Authorization: Bearer <key>`, else 401 TRACE_UNAUTHORIZED with `WWW-Authenticate: Bearer`);
 * the client is then the key (its name) with the key's rate, else the client address with the
 * default rate. Failed keys are counted per client address (`authFailures` token buckets): once an
 * address has used up its allowance, its requests are answered 429 before any key is looked at,
 * so keys cannot be guessed at speed.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TracerError } from '../../errors.js';
import type { ServerContext } from '../context.js';
import { bearerToken, digestKey } from '../keys.js';
import { clientAddressOf } from './client-address.js';
import { rateLimited, TokenBuckets, type RateLimit } from './rate-limit.js';

export interface Client {
  /** The rate limiter's bucket name: `k:<key name>` or `ip:<address>`. */
  id: string;
  rate: RateLimit | null;
}

/** Makes the identifier of one server: `identify(request, reply)` → the client, or the 401/429 to answer. */
export function identifier(ctx: ServerContext): (request: FastifyRequest, rep: FastifyReply) => Client | TracerError {
  const { keys, defaultRate, authFailures } = ctx.config;
  const failures = new TokenBuckets(10_000, ctx.config.now);
  const addressOf = clientAddressOf(ctx.config.trustProxy);
  return (request, rep) => {
    const address = addressOf(request);
    if (keys.size === 0) return { id: `ip:${address}`, rate: defaultRate };
    if (authFailures) {
      const wait = failures.wait(address, authFailures);
      if (wait > 0) {
        ctx.metrics.rateLimited++;
        return rateLimited(rep, wait, `too many failed API keys from ${address}`);
      }
    }
    const token = bearerToken(request.headers.authorization);
    const info = token === null ? undefined : keys.get(digestKey(token));
    if (info) return { id: `k:${info.name}`, rate: info.rate };
    ctx.metrics.unauthorized++;
    if (authFailures) failures.take(address, authFailures);
    void rep.header('www-authenticate', 'Bearer');
    return new TracerError('TRACE_UNAUTHORIZED', token === null ? 'missing API key: send Authorization: Bearer <key>' : 'unknown API key');
  };
}
