/** The HTTP lookup endpoint: buildServer (no listen), its route table, OpenAPI, keys and limits. */
export {
  buildServer,
  setServerIndex,
  servedIndex,
  accountCacheWarm,
  DEFAULT_LIMITS,
  DEFAULT_AUTH_FAILURE_LIMIT,
  type ServerOptions,
  type ServerLimits,
} from './build.js';
export { parseApiKeys, readApiKeysFile, generateKey, MIN_KEY_LENGTH, type ApiKey } from './keys.js';
export { closeGracefully } from './shutdown.js';
export { resolveTrustProxy } from './options.js';
export { TokenBuckets, DEFAULT_RATE_LIMIT, type RateLimit } from './guards/rate-limit.js';
export { toErrorReply, type ErrorReply } from './guards/errors.js';
export { AccountAnswers, DEFAULT_ACCOUNT_CACHE_BYTES } from './answers.js';
export { buildOpenApi, API_VERSION } from './openapi.js';
export { routeTable, type RouteSpec } from './routes.js';
