/**
 * buildServer(options) → a FastifyInstance serving the lookup API of DESIGN §5, not listening
 * (tests use `inject`; `tainttrace serve` and the benchmark call `listen`).
 *
 * - The index is given (`index`) or loaded in the background (`loadIndex`): until it is there,
 *   /readyz and the /v1 routes answer 503 TRACE_INDEX_NOT_READY. `setServerIndex` swaps it later.
 * - Limits, set deliberately: bodyLimit 512 KiB (1,000 deposits ≈ 110 KiB); requestTimeout 10 s (the
 *   whole request must arrive: slow-loris); keepAliveTimeout 65 s (above common load balancers' 60 s
 *   idle timeout, so the proxy closes first); connectionTimeout 70 s (socket inactivity, above the
 *   keep-alive); at most 1,000 deposits per screen (413 above).
 * - Optional API keys (Bearer) and per-key token-bucket rate limits (per IP without keys): the
 *   /v1 routes only; health, readiness, metrics and the OpenAPI document stay open.
 * - Errors always `{ error: { code, message } }` (errors.ts).
 * - Speed: account answers are ready UTF-8 JSON from a bounded cache, filled in the background
 *   once the index is there (answers.ts); screen results are written as JSON text directly
 *   (src/screen/json.ts) into one growing Buffer (json-bytes.ts). Both are sent as they are,
 *   bypassing the response serializer; the 200 response schemas stay in the route table and the
 *   OpenAPI document, and test/screen/json.test.ts + test/server/answers.test.ts hold the bytes
 *   to them. No hooks run where they have nothing to do (no keys and no rate limit: none before
 *   the handler); metrics are recorded by a per-route onResponse closure (no per-request route
 *   lookup). GET /v1/accounts/{address} goes further (getAccount): fastify's route has no params
 *   schema (a cache hit proves the address valid; a miss is checked with the same validator and
 *   error) and, unguarded, no hooks at all — the handler records its own metrics and errors.
 *   That is ≈ 2 µs of CPU less per request (fastify's response listeners and hook runner, Ajv).
 *   bench/server.bench.ts measures it against a bare fastify route.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { TracerError } from '../errors.js';
import { parseXem } from '../nem/amount.js';
import { isoToNem } from '../nem/time.js';
import type { TaintIndex } from '../screen/index-types.js';
import { resolveRiskRules, type RiskRules } from '../screen/risk.js';
import { screenParsed } from '../screen/screen.js';
import { asOfJson, screenResultJson } from '../screen/json.js';
import { asOfView, transferView } from '../screen/views.js';
import { AccountAnswers } from './answers.js';
import { JsonBytes } from './json-bytes.js';
import { bearerToken, checkRate, DEFAULT_RATE_LIMIT, digestKey, RateLimiter, type ApiKey, type KeyInfo, type RateLimit } from './auth.js';
import { reply as errorReply, toErrorReply } from './errors.js';
import { Metrics, type RouteMetrics } from './metrics.js';
import { buildOpenApi } from './openapi.js';
import { routeTable } from './routes.js';

export interface ServerLimits {
  bodyLimit?: number;
  maxDeposits?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  keepAliveTimeout?: number;
}

export interface ServerOptions {
  index?: TaintIndex;
  loadIndex?: () => Promise<TaintIndex>;
  /** API keys; none (or an empty list) = open API. */
  apiKeys?: ApiKey[] | null;
  /** Default per-key (or per-IP) rate limit; false = none. Default { capacity: 200, perSecond: 100 } with keys, none without. */
  rateLimit?: RateLimit | false;
  limits?: ServerLimits;
  riskRules?: Partial<RiskRules>;
  logger?: boolean;
  /** Budget of the account answer cache in bytes (default 2 KiB per indexed account or label, at least 32 MiB; 0 = no caching). */
  accountCacheBytes?: number;
  /** Fill the account answer cache in the background once the index is there (default true). */
  warmAccountCache?: boolean;
  /** Clock for the rate limiter (ms), for tests. */
  now?: () => number;
}

export const DEFAULT_LIMITS: Required<ServerLimits> = {
  bodyLimit: 512 * 1024,
  maxDeposits: 1000,
  requestTimeout: 10_000,
  connectionTimeout: 70_000,
  keepAliveTimeout: 65_000,
};

interface ServerState {
  index: TaintIndex | null;
  loadError: unknown;
  /** Account answers of `index`. */
  answers: AccountAnswers | null;
  /** Settles when the cache of the current index is warm (at once when warming is off). */
  warm: Promise<void>;
  serve(index: TaintIndex): void;
}
const states = new WeakMap<FastifyInstance, ServerState>();

function stateOf(app: FastifyInstance, what: string): ServerState {
  const state = states.get(app);
  if (!state) throw new TypeError(`${what}: not a tainttrace server`);
  return state;
}

/** Replace the served index (e.g. after a new trace); its answer cache starts afresh. */
export function setServerIndex(app: FastifyInstance, index: TaintIndex): void {
  stateOf(app, 'setServerIndex').serve(index);
}

/**
 * Resolves once the account answer cache of the served index is filled (see answers.ts), with
 * what it holds; at once with zeros while no index is loaded.
 */
export async function accountCacheWarm(app: FastifyInstance): Promise<{ entries: number; bytes: number }> {
  const state = stateOf(app, 'accountCacheWarm');
  for (;;) {
    const answers = state.answers;
    await state.warm;
    if (state.answers === answers) return answers?.size ?? { entries: 0, bytes: 0 };
  }
}

const HASH = /^[0-9a-fA-F]{64}$/;
const JSON_TYPE = 'application/json; charset=utf-8';

export function buildServer(options: ServerOptions = {}): FastifyInstance {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const rules = resolveRiskRules(options.riskRules);
  const keys = new Map<string, KeyInfo>();
  const defaultRate = options.rateLimit === undefined ? (options.apiKeys?.length ? DEFAULT_RATE_LIMIT : null) : options.rateLimit === false ? null : checkRate(options.rateLimit, 'rateLimit');
  for (const [i, k] of (options.apiKeys ?? []).entries()) keys.set(digestKey(k.key), { name: k.name ?? `key${i + 1}`, rate: k.rate ?? defaultRate });
  const limiter = new RateLimiter(10_000, options.now);
  const metrics = new Metrics();
  const cacheBytes = options.accountCacheBytes;
  if (cacheBytes !== undefined && !(Number.isSafeInteger(cacheBytes) && cacheBytes >= 0)) {
    throw new TracerError('TRACE_INVALID_OPTION', `accountCacheBytes must be a whole number ≥ 0, got ${cacheBytes}`);
  }
  const state: ServerState = {
    index: null,
    loadError: null,
    answers: null,
    warm: Promise.resolve(),
    serve(index) {
      const answers = new AccountAnswers(index, cacheBytes);
      this.index = index;
      this.loadError = null;
      this.answers = answers;
      if (options.warmAccountCache ?? true) this.warm = answers.warm(() => this.answers !== answers || closing);
    },
  };
  let closing = false;
  if (options.index) state.serve(options.index);

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: limits.bodyLimit,
    requestTimeout: limits.requestTimeout,
    connectionTimeout: limits.connectionTimeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, useDefaults: false } },
    frameworkErrors: (err, request, rep) => {
      const e = toErrorReply(err);
      metrics.observe('unmatched', request.method, e.status, (rep as FastifyReply).elapsedTime / 1000);
      void (rep as FastifyReply).code(e.status).send(e.body);
    },
  });
  states.set(app, state);
  app.addHook('onClose', (_app, done) => {
    closing = true;
    done();
  });

  if (!state.index && options.loadIndex) {
    options.loadIndex().then(
      (index) => {
        if (!state.index) state.serve(index);
      },
      (err) => {
        state.loadError = err;
        app.log.error({ err }, 'loading the taint index failed');
      },
    );
  }

  const sendError = (err: unknown, request: FastifyRequest, rep: FastifyReply): void => {
    const e = toErrorReply(err);
    if (e.status >= 500) request.log.error({ err }, 'request failed');
    void rep.code(e.status).send(e.body);
  };
  app.setErrorHandler((err, request, rep) => sendError(err, request, rep));
  app.setNotFoundHandler((request, rep) => {
    const e = errorReply('TRACE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0].slice(0, 200)}`);
    metrics.observe('unmatched', request.method, e.status, rep.elapsedTime / 1000);
    void rep.code(e.status).send(e.body);
  });

  const routes = routeTable(limits.maxDeposits);
  const openapi = buildOpenApi(routes, { apiKeys: keys.size > 0 });

  /** API key, rate limit, readiness — for the /v1 routes. */
  const guard = (request: FastifyRequest, rep: FastifyReply, done: (err?: Error) => void): void => {
    let client: string;
    let rate: RateLimit | null = defaultRate;
    if (keys.size > 0) {
      const token = bearerToken(request.headers.authorization);
      const info = token === null ? undefined : keys.get(digestKey(token));
      if (!info) {
        metrics.unauthorized++;
        void rep.header('www-authenticate', 'Bearer');
        return done(new TracerError('TRACE_UNAUTHORIZED', token === null ? 'missing API key: send Authorization: Bearer <key>' : 'unknown API key'));
      }
      client = `k:${info.name}`;
      rate = info.rate;
    } else {
      client = `ip:${request.ip}`;
    }
    if (rate) {
      const wait = limiter.take(client, rate);
      if (wait > 0) {
        metrics.rateLimited++;
        void rep.header('retry-after', String(Math.max(1, Math.ceil(wait))));
        return done(new TracerError('TRACE_RATE_LIMITED', `rate limit of ${rate.perSecond}/s (burst ${rate.capacity}) exceeded; retry in ${wait.toFixed(2)} s`));
      }
    }
    done();
  };
  const guarded = keys.size > 0 || defaultRate !== null;
  /** The index, or 503 TRACE_INDEX_NOT_READY. */
  const indexOr503 = (): TaintIndex => {
    if (!state.index) throw notReady(state);
    return state.index;
  };

  const oversize = (request: FastifyRequest, _rep: FastifyReply, done: (err?: Error) => void): void => {
    const deposits = (request.body as { deposits?: unknown } | null)?.deposits;
    if (Array.isArray(deposits) && deposits.length > limits.maxDeposits) {
      return done(new TracerError('TRACE_PAYLOAD_TOO_LARGE', `${deposits.length} deposits in one request; at most ${limits.maxDeposits}`));
    }
    done();
  };

  /**
   * GET /v1/accounts/:address, the hot route. Fastify's route carries no params schema (it stays in
   * the route table and the OpenAPI document): a cached answer proves the address valid, as only
   * canonical addresses are cached, so the schema is checked only on a miss — with fastify's own
   * compiled validator and the same error as the validation stage would give (checkParams). With
   * `timed` (no guard: nothing else runs around the handler) the route has no onResponse hook
   * either: the handler records its metrics itself (a clock reading before and one after the send,
   * which writes to the socket) and answers its own errors.
   */
  const getAccount = (params: object, timed: RouteMetrics | null) => (request: FastifyRequest, rep: FastifyReply): FastifyReply => {
    const started = timed === null ? 0 : performance.now();
    try {
      const answers = state.answers;
      const address = (request.params as { address: string }).address;
      let json = answers?.peek(address);
      if (json === undefined) {
        checkParams(request, params);
        if (!answers) throw notReady(state);
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

  const handlers: Record<string, (request: FastifyRequest, rep: FastifyReply) => unknown> = {
    getTransfer(request, rep) {
      const { hash } = request.params as { hash: string };
      if (!HASH.test(hash)) throw new TracerError('TRACE_INVALID_HASH', `invalid transfer hash ${JSON.stringify(hash)}: expected 64 hex digits`);
      const view = transferView(indexOr503(), hash.toLowerCase());
      if (!view) throw new TracerError('TRACE_NOT_FOUND', `the taint index holds no transfer ${hash.toLowerCase()}`);
      return rep.send(view);
    },
    screenDeposits(request, rep) {
      const answers = state.answers;
      if (!answers) throw notReady(state);
      const index = answers.index;
      const deposits = (request.body as { deposits: { from: string; amount: string; time?: string }[] }).deposits;
      const times = new Map<string, number>(); // a batch often repeats its times; parse each once
      const timeOf = (text: string): number => {
        let t = times.get(text);
        if (t === undefined) times.set(text, (t = isoToNem(text)));
        return t;
      };
      const parsed = deposits.map((d, i) => {
        try {
          return { from: answers.canonical(d.from), amount: parseXem(d.amount), time: d.time === undefined ? null : timeOf(d.time) };
        } catch (err) {
          if (err instanceof TracerError) throw new TracerError(err.code, `deposits[${i}]: ${err.message}`);
          throw err;
        }
      });
      const out = new JsonBytes(2048 * parsed.length).append('{"results":[');
      for (let i = 0; i < parsed.length; i++) {
        const d = parsed[i];
        const r = screenParsed(index, d.from, d.amount, d.time, rules);
        metrics.screened(r.risk);
        if (i > 0) out.append(',');
        out.append(screenResultJson(r));
      }
      out.append(`],"asOf":${asOfJson(index.asOf)}}`);
      return rep.header('content-type', JSON_TYPE).send(out.bytes());
    },
    health(_request, rep) {
      return rep.send({ status: 'ok' });
    },
    ready(_request, rep) {
      const index = state.index;
      if (!index) throw notReady(state);
      return rep.send({ status: 'ready', accounts: index.accounts.size, transfers: index.transfers.size, asOf: asOfView(index.asOf) });
    },
    metrics(_request, rep) {
      const index = state.index;
      return rep
        .type('text/plain; version=0.0.4; charset=utf-8')
        .send(metrics.render({ indexLoaded: index !== null, accounts: index?.accounts.size ?? 0, transfers: index?.transfers.size ?? 0, asOfHeight: index?.asOf.height ?? null }));
    },
    openapi(_request, rep) {
      return rep.send(openapi);
    },
  };

  for (const r of routes) {
    const observed = metrics.route(r.url);
    const onRequest = r.guarded && guarded ? guard : null;
    const onResponse = (request: FastifyRequest, rep: FastifyReply, done: () => void): void => {
      observed.observe(request.method, rep.statusCode, rep.elapsedTime / 1000);
      done();
    };
    if (r.operationId === 'getAccount') {
      const { params, ...schema } = r.schema;
      app.route({
        method: r.method,
        url: r.url,
        schema,
        ...(onRequest ? { onRequest, onResponse } : {}),
        handler: getAccount(params!, onRequest ? null : observed),
      });
      continue;
    }
    app.route({
      method: r.method,
      url: r.url,
      schema: r.schema,
      onResponse,
      ...(onRequest ? { onRequest } : {}),
      ...(r.schema.body ? { preValidation: oversize } : {}),
      handler: handlers[r.operationId],
    });
  }
  return app;
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

function notReady(state: ServerState): TracerError {
  if (state.loadError) {
    const e = state.loadError as { message?: string };
    return new TracerError('TRACE_INDEX_NOT_READY', `the taint index could not be loaded: ${e.message ?? String(state.loadError)}`);
  }
  return new TracerError('TRACE_INDEX_NOT_READY', 'the taint index is not loaded yet');
}
