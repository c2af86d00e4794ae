/** The HTTP lookup endpoint: buildServer (no listen), its route table, OpenAPI, keys and limits. */
export { buildServer, setServerIndex, accountCacheWarm, DEFAULT_LIMITS, type ServerOptions, type ServerLimits } from './build.js';
export { parseApiKeys, readApiKeysFile, type ApiKey } from './keys.js';
export { TokenBuckets, DEFAULT_RATE_LIMIT, type RateLimit } from './guards/rate-limit.js';
export { toErrorReply, type ErrorReply } from './guards/errors.js';
export { AccountAnswers, defaultAccountCacheBytes } from './answers.js';
export { buildOpenApi, API_VERSION } from './openapi.js';
export { routeTable, type RouteSpec } from './routes.js';
