/**
 * GET /v1/accounts/{address}, the hot route. Account answers are UTF-8 JSON bytes written from the
 * packed index or taken from a bounded cache (answers.ts), sent as they are.
 *
 * Fastify's route carries no params schema (it stays in the route table and the OpenAPI document):
 * an address the index holds is valid (its accounts and labels were checked when they entered it), so
 * the text is looked up in the index first and the schema is checked only for a text it does not hold
 * — with fastify's own compiled validator and the same error as the validation stage would give
 * (checkParams). No hook runs around the handler: it calls the route's guard itself (the API key and
 * the rate limit, guards/index.ts `check`, first, as the onRequest hook of the other routes does),
 * answers its own errors, and records its metrics (a clock reading before and one after the send, which
 * writes to the socket). Fastify's hook runners and response listeners cost more CPU per request than
 * the checks themselves; bench/server.bench.ts measures the route against a bare fastify route.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { sendError } from '../guards/errors.js';
import type { Check } from '../guards/index.js';
import type { RouteMetrics } from '../metrics.js';
import { JSON_TYPE, type RouteBinding } from './bind.js';

const getAccount: RouteBinding = (ctx, route, guards) => {
  const { params, ...schema } = route.schema;
  return { method: route.method, url: route.url, schema, handler: accountHandler(ctx, params!, guards.check, guards.observed) };
};

export const accountRoutes = { getAccount };

function accountHandler(ctx: ServerContext, params: object, check: Check | null, timed: RouteMetrics) {
  const { state } = ctx;
  return (request: FastifyRequest, rep: FastifyReply): FastifyReply => {
    const started = performance.now();
    try {
      const denied = check === null ? null : check(request, rep);
      if (denied !== null) throw denied;
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
      sendError(err, request, rep);
    }
    timed.observe(request.method, rep.statusCode, (performance.now() - started) / 1000);
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
