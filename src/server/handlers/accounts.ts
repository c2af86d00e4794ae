/**
 * GET /v1/accounts/{address}, the hot route. Account answers are UTF-8 JSON bytes written from the
 * packed index or taken from a bounded cache (answers.ts), sent as they are.
 *
 * Fastify's route carries no params schema (it stays in the route table and the OpenAPI document):
 * an address the index holds is valid (its accounts and labels were checked when they entered it), so
 * the text is looked up in the index first and the schema is checked only for a text it does not hold
 * — with fastify's own compiled validator and the same error as the validation stage would give
 * (checkParams). Unguarded (no keys, no rate limit: nothing else runs around the handler) the route
 * has no onResponse hook either: the handler records its metrics itself (a clock reading before and one
 * after the send, which writes to the socket) and answers its own errors. That is ≈ 2 µs of CPU less per
 * request (fastify's response listeners and hook runner, Ajv); bench/server.bench.ts measures it against a
 * bare fastify route.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { sendError } from '../guards/errors.js';
import type { RouteMetrics } from '../metrics.js';
import { JSON_TYPE, type RouteBinding } from './bind.js';

const getAccount: RouteBinding = (ctx, route, guards) => {
  const { params, ...schema } = route.schema;
  const timed = guards.onRequest ? null : guards.observed;
  return {
    method: route.method,
    url: route.url,
    schema,
    ...(guards.onRequest ? { onRequest: guards.onRequest, onResponse: guards.onResponse } : {}),
    handler: accountHandler(ctx, params!, timed),
  };
};

export const accountRoutes = { getAccount };

function accountHandler(ctx: ServerContext, params: object, timed: RouteMetrics | null) {
  const { state } = ctx;
  return (request: FastifyRequest, rep: FastifyReply): FastifyReply => {
    const started = timed === null ? 0 : performance.now();
    try {
      const answers = state.answers;
      const address = (request.params as { address: string }).address;
      let json = answers?.known(address);
      if (json === undefined) {
        checkParams(request, params);
        if (!answers) throw state.notReady();
        json = answers.get(address);
      }
      rep.header('content-type', JSON_TYPE).send(json);
    } catch (err) {
      if (timed === null) throw err;
      sendError(err, request, rep);
    }
    if (timed !== null) timed.observe(request.method, rep.statusCode, (performance.now() - started) / 1000);
    return rep;
  };
}

/**
 * Checks the params against `schema` as fastify's validation stage would, for a route that skips
 * it: the validator fastify compiles for the route (cached per route), and on failure the error
 * fastify builds (its default message format, `validation` and `validationContext`), so the
 * answer is the same 400.
 */
function checkParams(request: FastifyRequest, schema: object): void {
  const validate = request.compileValidationSchema(schema, 'params');
  if (validate(request.params)) return;
  const errors = (validate.errors ?? []) as { instancePath?: string; message?: string }[];
  const err = new Error(errors.map((e) => `params${e.instancePath ?? ''} ${e.message}`).join(', ')) as Error & Record<string, unknown>;
  err.statusCode = 400;
  err.code = 'FST_ERR_VALIDATION';
  err.validation = errors;
  err.validationContext = 'params';
  throw err;
}
