/**
 * How a handler module turns a row of the route table into a fastify route. Most routes are
 * `standard`: the row's schema, the guards of guards/index.ts, and the module's handler.
 */
import type { RouteOptions } from 'fastify';
import type { Handler, ServerContext } from '../context.js';
import type { RouteGuards } from '../guards/index.js';
import type { RouteSpec } from '../routes.js';

/** Binds one route of the table: the fastify route options for it. */
export type RouteBinding = (ctx: ServerContext, route: RouteSpec, guards: RouteGuards) => RouteOptions;

export const JSON_TYPE = 'application/json; charset=utf-8';

/** A route with the table's schema, every guard fastify-side, and the handler `make(ctx)`. */
export function standard(make: (ctx: ServerContext) => Handler): RouteBinding {
  return (ctx, route, guards) => ({
    method: route.method,
    url: route.url,
    schema: route.schema,
    onResponse: guards.onResponse,
    ...(guards.onRequest ? { onRequest: guards.onRequest } : {}),
    ...(guards.preValidation ? { preValidation: guards.preValidation } : {}),
    handler: make(ctx),
  });
}
