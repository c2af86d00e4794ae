/**
 * buildServer(options) → a FastifyInstance serving the lookup API of docs/contracts.md, not listening
 * (tests use `inject`; `tainttrace serve` and the benchmark call `listen`). It wires the parts:
 *
 * - options.ts: the options, their defaults and limits, checked once;
 * - state.ts: the served index — given (`index`), loaded in the background (`loadIndex`; until it
 *   is there /readyz and the /v1 routes answer 503 TRACE_INDEX_NOT_READY) or swapped later
 *   (`setServerIndex`);
 * - routes.ts: the route table (one source for fastify and openapi.ts);
 * - guards/: the transport (node's limits, deadlines, connection cap, errors before routing), API
 *   keys, rate limits, request limits, metrics recording and error shaping (`{ error: { code,
 *   message } }` for every failure);
 * - handlers/: one module per route group, keyed by operationId.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { TaintIndex } from '../screen/index.js';
import { createContext } from './context.js';
import { frameworkErrorsOf, installErrorShaping } from './guards/errors.js';
import { guardsOf } from './guards/index.js';
import { clientErrorHandlerOf, serverFactoryOf } from './guards/transport.js';
import { bindRoute } from './handlers/index.js';
import type { ServerOptions } from './options.js';
import { attachState, type ServerState } from './state.js';

export { DEFAULT_AUTH_FAILURE_LIMIT, DEFAULT_LIMITS, type ServerLimits, type ServerOptions } from './options.js';
export { accountCacheWarm, servedIndex, setServerIndex } from './state.js';

export function buildServer(options: ServerOptions = {}): FastifyInstance {
  const ctx = createContext(options);
  const app = Fastify({
    logger: ctx.config.logger,
    bodyLimit: ctx.config.limits.bodyLimit,
    serverFactory: serverFactoryOf(ctx),
    clientErrorHandler: clientErrorHandlerOf(ctx),
    return503OnClosing: true,
    // fastify's overloads pick the server type from this option's type; any of its values is an http server's
    trustProxy: ctx.config.trustProxy as string[],
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, useDefaults: false } },
    frameworkErrors: frameworkErrorsOf(ctx),
  });
  attachState(app, ctx.state);
  app.addHook('onClose', (_app, done) => {
    ctx.state.closing = true;
    done();
  });
  if (!ctx.state.index && options.loadIndex) loadInBackground(app, ctx.state, options.loadIndex);

  installErrorShaping(app, ctx);
  const guards = guardsOf(ctx);
  for (const route of ctx.routes) app.route(bindRoute(ctx, route, guards(route)));
  return app;
}

function loadInBackground(app: FastifyInstance, state: ServerState, load: () => Promise<TaintIndex>): void {
  load().then(
    (index) => {
      if (!state.index) state.serve(index);
    },
    (err) => {
      state.loadError = err;
      app.log.error({ err }, 'loading the taint index failed');
    },
  );
}
