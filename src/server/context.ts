/**
 * What the guards and handlers of one server share: the resolved options, the served index, the
 * metrics, the route table and the OpenAPI document built from it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventSource } from '../events/index.js';
import { Metrics } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import { resolveOptions, type ServerConfig, type ServerOptions } from './options.js';
import { routeTable, type RouteSpec } from './routes.js';
import { ServerState } from './state.js';

export interface ServerContext {
  readonly config: ServerConfig;
  readonly state: ServerState;
  readonly metrics: Metrics;
  readonly routes: readonly RouteSpec[];
  readonly openapi: Record<string, unknown>;
  /** The event sequence of a following server, or null. */
  readonly events: EventSource | null;
}

/** A route handler as fastify calls it. */
export type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;
/** A hook as fastify calls it (callback style: no promise per request). */
export type Hook = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void;

export function createContext(options: ServerOptions): ServerContext {
  const config = resolveOptions(options);
  const routes = routeTable(config.limits.maxDeposits);
  const state = new ServerState(config.accountCacheBytes, config.warmAccountCache);
  if (options.index) state.serve(options.index);
  return {
    config,
    state,
    metrics: new Metrics(),
    routes,
    openapi: buildOpenApi(routes, { apiKeys: config.keys.size > 0, openMetrics: config.openMetrics }),
    events: options.events ?? null,
  };
}
