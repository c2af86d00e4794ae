/**
 * The guards of a route: what runs around its handler. A guarded route (RouteSpec.guarded; an
 * operator route such as /metrics when keys are configured and not `openMetrics`) gets the check of
 * the API key and the rate limit — only when keys or a rate limit are configured (nothing runs where
 * it has nothing to do): as an onRequest hook, or called by the handler itself (`check`, the account
 * route: no hook runner per request); a route with a body gets the batch limit; every route gets an
 * onResponse recorder of its metrics. Error shaping (errors.ts) is installed once for the whole server.
 */
import { TracerError } from '../../errors.js';
import type { Hook, ServerContext } from '../context.js';
import type { RouteMetrics } from '../metrics.js';
import type { RouteSpec } from '../routes.js';
import { identifier } from './auth.js';
import { batchLimit } from './limits.js';
import { rateLimited, TokenBuckets } from './rate-limit.js';

export interface RouteGuards {
  /** The route's metrics recorder. */
  observed: RouteMetrics;
  /** The key and rate-limit check, or null when the route has none. */
  onRequest: Hook | null;
  /** The same check called directly: the error to answer (401, 429), or null to go on. */
  check: Check | null;
  /** Runs after the body is parsed, before validation. */
  preValidation: Hook | null;
  onResponse: (request: Parameters<Hook>[0], rep: Parameters<Hook>[1], done: () => void) => void;
}

/** The key and rate-limit check of a request: the error to answer, or null. */
export type Check = (request: Parameters<Hook>[0], rep: Parameters<Hook>[1]) => TracerError | null;

/** Makes the per-route guard factory of one server (the rate limiter's buckets are shared by its routes). */
export function guardsOf(ctx: ServerContext): (route: RouteSpec) => RouteGuards {
  const buckets = new TokenBuckets(10_000, ctx.config.now);
  const active = ctx.config.keys.size > 0 || ctx.config.defaultRate !== null;
  const identify = identifier(ctx);
  const check: Check = (request, rep) => {
    const client = identify(request, rep);
    if (client instanceof TracerError) return client;
    if (client.rate) {
      const wait = buckets.take(client.id, client.rate);
      if (wait > 0) {
        ctx.metrics.rateLimited++;
        return rateLimited(rep, wait, `rate limit of ${client.rate.perSecond}/s (burst ${client.rate.capacity}) exceeded`);
      }
    }
    return null;
  };
  const guard: Hook = (request, rep, done) => {
    const denied = check(request, rep);
    if (denied) return done(denied);
    done();
  };
  const keyed = (route: RouteSpec) => route.guarded || (route.operator === true && ctx.config.keys.size > 0 && !ctx.config.openMetrics);
  const limit = batchLimit(ctx);
  return (route) => {
    const observed = ctx.metrics.route(route.url);
    return {
      observed,
      onRequest: keyed(route) && active ? guard : null,
      check: keyed(route) && active ? check : null,
      preValidation: route.schema.body ? limit : null,
      onResponse: (request, rep, done) => {
        observed.observe(request.method, rep.statusCode, rep.elapsedTime / 1000);
        done();
      },
    };
  };
}
