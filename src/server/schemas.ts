/**
 * JSON schemas of every route (request and response). Fastify validates requests with them (Ajv)
 * and serialises responses with them (fast-json-stringify); openapi.ts publishes the same objects.
 * Plain JSON Schema that reads the same in draft-07 (Ajv) and 2020-12 (OpenAPI 3.1).
 */
import { POLICIES } from '../domain.js';
import { exposureSchema } from './exposure-schema.js';

const xem = { type: 'string', pattern: '^\\d+\\.\\d{6}$', description: 'XEM, decimal string with six decimals' } as const;
const iso = { type: 'string', description: 'ISO-8601 UTC time' } as const;
/** `T | null` as a type list, not anyOf: fast-json-stringify runs Ajv per value to pick an anyOf branch. */
const nullable = <T extends { type: string }>(s: T) => ({ ...s, type: [s.type, 'null'] });
const perPolicy = (schema: object) => ({
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(POLICIES.map((p) => [p, schema])),
});

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
} as const;

export const asOfSchema = {
  type: 'object',
  required: ['height', 'time', 'provisionalFrom'],
  description: 'Height and time of the data the answer comes from',
  properties: {
    height: { type: 'integer' },
    time: nullable(iso),
    provisionalFrom: {
      type: 'integer',
      description: 'transfers at or above this height are provisional: a fork may still remove them (tip − 359)',
    },
  },
} as const;

const labelSchema = {
  type: 'object',
  required: ['label', 'category', 'source'],
  properties: { label: { type: 'string' }, category: { type: 'string' }, source: nullable({ type: 'string' }) },
} as const;

export const accountSchema = {
  type: 'object',
  required: ['address', 'known', 'label', 'policies', 'asOf'],
  properties: {
    address: { type: 'string' },
    known: { type: 'boolean', description: 'the index knows the address (tainted under some policy, or labelled)' },
    label: nullable(labelSchema),
    policies: perPolicy({
      type: 'object',
      required: ['tainted', 'exit', 'hops', 'received', 'held', 'balance', 'share', 'firstTaintedAt'],
      properties: {
        tainted: { type: 'boolean' },
        exit: { type: 'boolean' },
        hops: nullable({ type: 'integer' }),
        received: xem,
        held: xem,
        balance: xem,
        share: { type: 'number', minimum: 0, maximum: 1, description: 'tainted share of the balance at asOf' },
        firstTaintedAt: nullable(iso),
      },
    }),
    asOf: asOfSchema,
  },
} as const;

export const transferSchema = {
  type: 'object',
  required: ['hash', 'from', 'to', 'height', 'time', 'amount', 'fee', 'message', 'fromLabel', 'toLabel', 'taint', 'asOf'],
  properties: {
    hash: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    height: { type: 'integer' },
    time: iso,
    amount: xem,
    fee: xem,
    message: nullable({ type: 'string' }),
    fromLabel: nullable(labelSchema),
    toLabel: nullable(labelSchema),
    taint: perPolicy(xem),
    asOf: asOfSchema,
  },
} as const;

export const screenResultSchema = {
  type: 'object',
  required: ['from', 'amount', 'time', 'risk', 'score', 'rule', 'perPolicy', 'hops', 'exits', 'labels', 'evidence', 'coverage', 'asOf'],
  properties: {
    from: { type: 'string' },
    amount: nullable(xem),
    time: nullable(iso),
    risk: {
      type: 'string',
      enum: ['severe', 'high', 'medium', 'low', 'none', 'unknown'],
      description: 'unknown: outside coverage, never read as clean',
    },
    score: nullable({ type: 'integer', minimum: 0, maximum: 100 }),
    rule: { type: 'string' },
    perPolicy: perPolicy({
      type: 'object',
      required: ['tainted', 'share', 'taintedAmount', 'hops'],
      properties: {
        tainted: { type: 'boolean' },
        share: { type: 'number' },
        taintedAmount: nullable(xem),
        hops: nullable({ type: 'integer' }),
      },
    }),
    hops: nullable({ type: 'integer' }),
    exits: { type: 'array', items: { type: 'string' } },
    labels: {
      type: 'array',
      items: {
        type: 'object',
        required: ['address', 'label', 'category'],
        properties: { address: { type: 'string' }, label: { type: 'string' }, category: { type: 'string' } },
      },
    },
    evidence: { type: 'array', items: { type: 'string' } },
    coverage: {
      type: 'object',
      required: ['caseId', 'tip', 'reached', 'provisional'],
      properties: {
        caseId: { type: 'string' },
        tip: { type: 'integer', description: 'tip height of the store the trace ran on' },
        reached: { type: 'boolean', description: 'the address appears in a transfer the trace considered' },
        provisional: { type: 'boolean', description: "the sender's taint rests on transfers at or above asOf.provisionalFrom" },
      },
    },
    asOf: asOfSchema,
    exposure: {
      ...nullable(exposureSchema),
      description:
        "present when the deposit asked exposure: the sender's GET /v1/exposure answer as of the deposit; null: nothing served into it",
    },
  },
} as const;

export function screenBodySchema(maxDeposits: number) {
  return {
    type: 'object',
    required: ['deposits'],
    additionalProperties: false,
    properties: {
      deposits: {
        type: 'array',
        minItems: 1,
        maxItems: maxDeposits,
        items: {
          type: 'object',
          required: ['from', 'amount'],
          additionalProperties: false,
          properties: {
            from: { type: 'string', maxLength: 64, description: 'sender address (dashes allowed)' },
            amount: { type: 'string', maxLength: 32, description: 'XEM, at most six decimals' },
            time: { type: 'string', maxLength: 64, description: 'ISO-8601 with a zone; latest state when absent' },
            exposure: { type: 'boolean', description: "also answer the sender's source-of-funds exposure (GET /v1/exposure)" },
          },
        },
      },
    },
  } as const;
}

export const screenResponseSchema = {
  type: 'object',
  required: ['results', 'asOf'],
  properties: { results: { type: 'array', items: screenResultSchema }, asOf: asOfSchema },
} as const;

export const addressParams = {
  type: 'object',
  required: ['address'],
  properties: { address: { type: 'string', maxLength: 64, description: 'NEM address, 40 characters (dashes allowed)' } },
} as const;

export const hashParams = {
  type: 'object',
  required: ['hash'],
  properties: { hash: { type: 'string', maxLength: 64, description: 'transaction hash, 64 hex digits' } },
} as const;

export const healthSchema = { type: 'object', required: ['status'], properties: { status: { type: 'string' } } } as const;

export const readySchema = {
  type: 'object',
  required: ['status', 'accounts', 'transfers', 'asOf'],
  properties: { status: { type: 'string' }, accounts: { type: 'integer' }, transfers: { type: 'integer' }, asOf: asOfSchema },
} as const;

export const eventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    after: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'the last seq the client has (default 0)' },
    wait: {
      type: 'string',
      pattern: '^[0-9]{1,2}$',
      description: 'long-poll: seconds to wait for an event when none is there yet (0–60, default 0)',
    },
    limit: { type: 'string', pattern: '^[0-9]{1,4}$', description: 'at most this many events (1–1000, default 1000)' },
  },
} as const;

export const eventsResponseSchema = {
  type: 'object',
  required: ['events', 'head'],
  properties: {
    events: {
      type: 'array',
      items: { type: 'object', additionalProperties: true, required: ['seq', 'type', 'at', 'height', 'final', 'caseId'] },
    },
    head: { type: 'integer', description: 'the last seq in the sequence' },
  },
} as const;

/** Error responses every route may give. */
export const errorResponses = { '4xx': errorSchema, '5xx': errorSchema } as const;
