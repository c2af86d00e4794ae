/** The HTTP lookup endpoint: buildServer (no listen), its route table, OpenAPI, keys and limits. */
export { buildServer, setServerIndex, accountCacheWarm, DEFAULT_LIMITS, type ServerOptions, type ServerLimits } from './build.js';
export { parseApiKeys, readApiKeysFile, RateLimiter, DEFAULT_RATE_LIMIT, type ApiKey, type RateLimit } from './auth.js';
export { toErrorReply, type ErrorReply } from './errors.js';
export { AccountAnswers, defaultAccountCacheBytes } from './answers.js';
export { buildOpenApi, API_VERSION } from './openapi.js';
export { routeTable, type RouteSpec } from './routes.js';
