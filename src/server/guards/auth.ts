/**
 * Who is asking: with API keys configured, a request must present a known key
 * (`Authorization: Bearer <key>`, else 401 TRACE_UNAUTHORIZED with `WWW-Authenticate: Bearer`);
 * the client is then the key (its name) with the key's rate, else the client address with the
 * default rate.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TracerError } from '../../errors.js';
import type { ServerContext } from '../context.js';
import { bearerToken, digestKey } from '../keys.js';
import type { RateLimit } from './rate-limit.js';

export interface Client {
  /** The rate limiter's bucket name: `k:<key name>` or `ip:<address>`. */
  id: string;
  rate: RateLimit | null;
}

/** The client of `request`, or the 401 to answer. */
export function identify(ctx: ServerContext, request: FastifyRequest, rep: FastifyReply): Client | TracerError {
  const { keys, defaultRate } = ctx.config;
  if (keys.size === 0) return { id: `ip:${request.ip}`, rate: defaultRate };
  const token = bearerToken(request.headers.authorization);
  const info = token === null ? undefined : keys.get(digestKey(token));
  if (!info) {
    ctx.metrics.unauthorized++;
    void rep.header('www-authenticate', 'Bearer');
    return new TracerError('TRACE_UNAUTHORIZED', token === null ? 'missing API key: send Authorization: Bearer <key>' : 'unknown API key');
  }
  return { id: `k:${info.name}`, rate: info.rate };
}
