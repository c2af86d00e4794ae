/**
 * Request and response schemas of GET /v1/exposure/{address} (the answer is src/exposure/view.ts's
 * ExposureView). Kept apart from schemas.ts: one route, one concern.
 */
import { POLICIES } from '../taint/index.js';

const xem = { type: 'string', pattern: '^\\d+\\.\\d{6}$' } as const;
const hops = { type: ['integer', 'null'] } as const;
const figures = {
  type: 'object',
  required: ['exposed', 'share', 'direct', 'indirect', 'hops', 'held'],
  properties: { exposed: xem, share: { type: 'number', minimum: 0, maximum: 1 }, direct: xem, indirect: xem, hops, held: xem },
} as const;
const step = {
  type: 'object',
  required: ['hash', 'from', 'to', 'time', 'amount', 'taint'],
  properties: {
    hash: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    time: { type: 'string' },
    amount: xem,
    taint: xem,
  },
} as const;
const policyExposure = {
  type: 'object',
  required: [...figures.required, 'byCategory', 'evidence'],
  properties: {
    ...figures.properties,
    byCategory: { type: 'object', additionalProperties: figures },
    evidence: { type: 'array', items: step },
  },
} as const;
const source = {
  type: 'object',
  required: ['address', 'label', 'category', 'depth', 'sent', 'transfers', 'exposure'],
  properties: {
    address: { type: 'string' },
    label: { type: 'string' },
    category: { type: 'string' },
    depth: { type: 'integer' },
    sent: xem,
    transfers: { type: 'integer' },
    exposure: { type: ['object', 'null'], additionalProperties: xem },
  },
} as const;

export const exposureQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    hops: { type: 'string', pattern: '^[0-9]{1,3}$', description: 'upstream hops, 1 to 12 (default 4)' },
    asOf: { type: 'string', maxLength: 40, description: 'only transfers before this ISO-8601 time' },
    categories: { type: 'string', maxLength: 400, description: 'risky categories, comma-separated' },
    policy: { type: 'string', maxLength: 100, description: 'policies, comma-separated (default all)' },
  },
} as const;

export const exposureSchema = {
  type: 'object',
  required: [
    'address',
    'label',
    'hops',
    'asOf',
    'categories',
    'received',
    'receivedTransfers',
    'balance',
    'cone',
    'policies',
    'sources',
    'coverage',
  ],
  properties: {
    address: { type: 'string' },
    label: { type: ['object', 'null'], properties: { label: { type: 'string' }, category: { type: 'string' } } },
    hops: { type: 'integer' },
    asOf: { type: ['string', 'null'] },
    categories: { type: 'array', items: { type: 'string' } },
    received: xem,
    receivedTransfers: { type: 'integer' },
    balance: xem,
    cone: {
      type: 'object',
      required: ['accounts', 'transfers', 'byDepth', 'sources'],
      properties: {
        accounts: { type: 'integer' },
        transfers: { type: 'integer' },
        byDepth: { type: 'array', items: { type: 'integer' } },
        sources: { type: 'integer' },
      },
    },
    policies: { type: 'object', additionalProperties: false, properties: Object.fromEntries(POLICIES.map((p) => [p, policyExposure])) },
    sources: { type: 'array', items: source },
    coverage: {
      type: 'object',
      required: ['complete', 'incomplete', 'incompleteAccounts', 'tipHeight'],
      properties: {
        complete: { type: 'integer' },
        incomplete: { type: 'integer' },
        incompleteAccounts: { type: 'array', items: { type: 'string' } },
        tipHeight: { type: 'integer' },
      },
    },
  },
} as const;
