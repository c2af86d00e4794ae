/**
 * The route table of docs/contracts.md: method, path, schemas, whether an API key applies. build.ts binds
 * handlers to it; openapi.ts documents it. One source for both.
 */
import {
  accountSchema,
  addressParams,
  errorResponses,
  eventsQuery,
  eventsResponseSchema,
  hashParams,
  healthSchema,
  readySchema,
  screenBodySchema,
  screenResponseSchema,
  transferSchema,
} from './schemas.js';
import { exposureQuery, exposureSchema } from './exposure-schema.js';

export interface RouteSpec {
  method: 'GET' | 'POST';
  url: string;
  operationId: string;
  summary: string;
  /** Subject to API keys and rate limits. */
  guarded: boolean;
  /** For the operator (metrics): needs a key when keys are configured, unless the server's `openMetrics`. */
  operator?: boolean;
  /** Response content type when not JSON. */
  produces?: string;
  schema: { params?: object; querystring?: object; body?: object; response: Record<string, object> };
}

export function routeTable(maxDeposits: number): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/v1/accounts/:address',
      operationId: 'getAccount',
      guarded: true,
      summary: 'Label and per-policy taint of an account: tainted, hops, received, held, share of balance, first tainted time',
      schema: { params: addressParams, response: { 200: accountSchema, ...errorResponses } },
    },
    {
      method: 'GET',
      url: '/v1/transfers/:hash',
      operationId: 'getTransfer',
      guarded: true,
      summary: 'A transfer that carried taint, and the taint it carried per policy',
      schema: { params: hashParams, response: { 200: transferSchema, ...errorResponses } },
    },
    {
      method: 'POST',
      url: '/v1/screen',
      operationId: 'screenDeposits',
      guarded: true,
      summary: `Screen up to ${maxDeposits} deposits: risk, score, tainted amount and share per policy, hops, exits, labels, evidence`,
      schema: { body: screenBodySchema(maxDeposits), response: { 200: screenResponseSchema, ...errorResponses } },
    },
    {
      method: 'GET',
      url: '/v1/events',
      operationId: 'getEvents',
      guarded: true,
      summary:
        'Events after a seq (account.tainted, exit.reached, watch.*, transfer.retracted, index.updated): JSON with long-poll (wait), ' +
        'or server-sent events with Accept: text/event-stream (Last-Event-ID resumes)',
      schema: { querystring: eventsQuery, response: { 200: eventsResponseSchema, ...errorResponses } },
    },
    {
      method: 'GET',
      url: '/v1/exposure/:address',
      operationId: 'getExposure',
      guarded: true,
      summary:
        'Source of funds: how much of what the address received came from risky labelled accounts within N hops upstream, per policy ' +
        'and category',
      schema: { params: addressParams, querystring: exposureQuery, response: { 200: exposureSchema, ...errorResponses } },
    },
    {
      method: 'GET',
      url: '/healthz',
      operationId: 'health',
      guarded: false,
      summary: 'The process is up',
      schema: { response: { 200: healthSchema, ...errorResponses } },
    },
    {
      method: 'GET',
      url: '/readyz',
      operationId: 'ready',
      guarded: false,
      summary: 'The taint index is loaded (503 until then)',
      schema: { response: { 200: readySchema, ...errorResponses } },
    },
    {
      method: 'GET',
      url: '/metrics',
      operationId: 'metrics',
      guarded: false,
      operator: true,
      produces: 'text/plain; version=0.0.4',
      summary: 'Prometheus metrics',
      schema: { response: { 200: { type: 'string' } } },
    },
    {
      method: 'GET',
      url: '/openapi.json',
      operationId: 'openapi',
      guarded: false,
      summary: 'This API as an OpenAPI 3.1 document',
      schema: { response: { 200: { type: 'object', additionalProperties: true } } },
    },
  ];
}
