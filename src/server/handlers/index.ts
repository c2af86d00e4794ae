/**
 * The handlers, one module per route group, keyed by the route table's operationId.
 *
 * To add a route: a row in routes.ts (method, url, operationId, schemas, guarded), a handler in a
 * module here (usually `standard((ctx) => (request, reply) => …)`, see bind.ts), and its group in
 * HANDLERS below. buildServer refuses a table row without a handler.
 */
import type { ServerContext } from '../context.js';
import type { RouteGuards } from '../guards/index.js';
import type { RouteSpec } from '../routes.js';
import { accountRoutes } from './accounts.js';
import { eventRoutes } from './events.js';
import type { RouteBinding } from './bind.js';
import { exposureRoutes } from './exposure.js';
import { opsRoutes } from './ops.js';
import { screenRoutes } from './screen.js';
import { transferRoutes } from './transfers.js';

export const HANDLERS: Readonly<Record<string, RouteBinding>> = {
  ...accountRoutes,
  ...transferRoutes,
  ...screenRoutes,
  ...eventRoutes,
  ...exposureRoutes,
  ...opsRoutes,
};

/** The fastify route options of one row of the route table. */
export function bindRoute(ctx: ServerContext, route: RouteSpec, guards: RouteGuards) {
  const bind = HANDLERS[route.operationId];
  if (!bind) throw new TypeError(`route ${route.method} ${route.url}: no handler for operationId ${route.operationId}`);
  return bind(ctx, route, guards);
}
