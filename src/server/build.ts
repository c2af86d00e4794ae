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
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { TracerError } from '../errors.js';
import { parseXem } from '../nem/amount.js';
import { isoToNem } from '../nem/time.js';
import type { TaintIndex } from '../screen/index-types.js';
import { resolveRiskRules, type RiskRules } from '../screen/risk.js';
import { screenParsed } from '../screen/screen.js';
import { accountView, asOfView, indexedAddress, screenView, transferView } from '../screen/views.js';
import { bearerToken, checkRate, DEFAULT_RATE_LIMIT, digestKey, RateLimiter, type ApiKey, type KeyInfo, type RateLimit } from './auth.js';
import { reply as errorReply, toErrorReply } from './errors.js';
import { Metrics } from './metrics.js';
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

interface ServerState { index: TaintIndex | null; loadError: unknown }
const states = new WeakMap<FastifyInstance, ServerState>();

/** Replace the served index (e.g. after a new trace). */
export function setServerIndex(app: FastifyInstance, index: TaintIndex): void {
  const state = states.get(app);
  if (!state) throw new TypeError('setServerIndex: not a tainttrace server');
  state.index = index;
  state.loadError = null;
}

const HASH = /^[0-9a-fA-F]{64}$/;

export function buildServer(options: ServerOptions = {}): FastifyInstance {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const rules = resolveRiskRules(options.riskRules);
  const keys = new Map<string, KeyInfo>();
  const defaultRate = options.rateLimit === undefined ? (options.apiKeys?.length ? DEFAULT_RATE_LIMIT : null) : options.rateLimit === false ? null : checkRate(options.rateLimit, 'rateLimit');
  for (const [i, k] of (options.apiKeys ?? []).entries()) keys.set(digestKey(k.key), { name: k.name ?? `key${i + 1}`, rate: k.rate ?? defaultRate });
  const limiter = new RateLimiter(10_000, options.now);
  const metrics = new Metrics();
  const state: ServerState = { index: options.index ?? null, loadError: null };

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: limits.bodyLimit,
    requestTimeout: limits.requestTimeout,
    connectionTimeout: limits.connectionTimeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    return503OnClosing: true,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, useDefaults: false } },
    frameworkErrors: (err, _req, rep) => {
      const e = toErrorReply(err);
      void (rep as FastifyReply).code(e.status).send(e.body);
    },
  });
  states.set(app, state);

  if (!state.index && options.loadIndex) {
    options.loadIndex().then(
      (index) => {
        if (!state.index) state.index = index;
      },
      (err) => {
        state.loadError = err;
        app.log.error({ err }, 'loading the taint index failed');
      },
    );
  }

  app.setErrorHandler((err, request, rep) => {
    const e = toErrorReply(err);
    if (e.status >= 500) request.log.error({ err }, 'request failed');
    void rep.code(e.status).send(e.body);
  });
  app.setNotFoundHandler((request, rep) => {
    const e = errorReply('TRACE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0].slice(0, 200)}`);
    void rep.code(e.status).send(e.body);
  });

  app.addHook('onResponse', (request, rep, done) => {
    metrics.observe(request.routeOptions.url ?? 'unmatched', request.method, rep.statusCode, rep.elapsedTime / 1000);
    done();
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

  const handlers: Record<string, (request: FastifyRequest, rep: FastifyReply) => unknown> = {
    getAccount(request, rep) {
      const { address } = request.params as { address: string };
      const index = indexOr503();
      return rep.send(accountView(index, indexedAddress(index, address)));
    },
    getTransfer(request, rep) {
      const { hash } = request.params as { hash: string };
      if (!HASH.test(hash)) throw new TracerError('TRACE_INVALID_HASH', `invalid transfer hash ${JSON.stringify(hash)}: expected 64 hex digits`);
      const view = transferView(indexOr503(), hash.toLowerCase());
      if (!view) throw new TracerError('TRACE_NOT_FOUND', `the taint index holds no transfer ${hash.toLowerCase()}`);
      return rep.send(view);
    },
    screenDeposits(request, rep) {
      const index = indexOr503();
      const deposits = (request.body as { deposits: { from: string; amount: string; time?: string }[] }).deposits;
      const parsed = deposits.map((d, i) => {
        try {
          return { from: indexedAddress(index, d.from), amount: parseXem(d.amount), time: d.time === undefined ? null : isoToNem(d.time) };
        } catch (err) {
          if (err instanceof TracerError) throw new TracerError(err.code, `deposits[${i}]: ${err.message}`);
          throw err;
        }
      });
      const results = parsed.map((d) => {
        const r = screenParsed(index, d.from, d.amount, d.time, rules);
        metrics.screened(r.risk);
        return screenView(r);
      });
      return rep.send({ results, asOf: asOfView(index.asOf) });
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
    app.route({
      method: r.method,
      url: r.url,
      schema: r.schema,
      ...(r.guarded && guarded ? { onRequest: guard } : {}),
      ...(r.schema.body ? { preValidation: oversize } : {}),
      handler: handlers[r.operationId],
    });
  }
  return app;
}

function notReady(state: ServerState): TracerError {
  if (state.loadError) {
    const e = state.loadError as { message?: string };
    return new TracerError('TRACE_INDEX_NOT_READY', `the taint index could not be loaded: ${e.message ?? String(state.loadError)}`);
  }
  return new TracerError('TRACE_INDEX_NOT_READY', 'the taint index is not loaded yet');
}
