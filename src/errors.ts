/**
 * One error type for the whole engine, with stable codes.
 *
 * Codes are API: other programs (the HTTP clients of `server/`, scripts reading the CLI's
 * `--json` errors) match on them, so a code never changes meaning once shipped; messages may.
 * Programmer misuse (wrong argument types from TypeScript callers) throws a plain TypeError.
 * `test/errors.test.ts` keeps this registry, the `ErrorCode` union and README's table in sync.
 */

export const ERRORS = {
  TRACE_INVALID_ADDRESS: { status: 400, retryable: false, summary: 'not a valid NEM address (length, alphabet, network or checksum)' },
  TRACE_INVALID_PUBLIC_KEY: { status: 400, retryable: false, summary: 'not a 32-byte hex public key' },
  TRACE_INVALID_AMOUNT: { status: 400, retryable: false, summary: 'not an XEM amount with at most six decimals within the supply' },
  TRACE_INVALID_TIME: { status: 400, retryable: false, summary: 'not an ISO-8601 time or NEM timestamp in range' },
  TRACE_INVALID_HASH: { status: 400, retryable: false, summary: 'not a 64-hex-digit transaction hash' },
  TRACE_INVALID_OPTION: { status: 400, retryable: false, summary: 'a command-line flag, option or request field is missing or wrong' },
  TRACE_INVALID_CASE: { status: 400, retryable: false, summary: 'the case file cannot be read or does not match the case schema' },
  TRACE_INVALID_LABELS: { status: 400, retryable: false, summary: 'a TagPack label file cannot be read or does not match the layout' },
  TRACE_INVALID_WATCHLIST: { status: 400, retryable: false, summary: 'a watch-list file cannot be read or does not match the layout' },
  TRACE_INVALID_FAULT_SPEC: { status: 400, retryable: false, summary: 'the fixture node fault spec is not understood' },
  TRACE_UNKNOWN_SCENARIO: { status: 400, retryable: false, summary: 'no fixture scenario by that name' },
  TRACE_MALFORMED_RESPONSE: {
    status: 502,
    retryable: true,
    summary: 'a node answered with data that is malformed or inconsistent; nothing of it was stored',
  },
  TRACE_NODE_HTTP: { status: 502, retryable: true, summary: 'a node answered with an HTTP error' },
  TRACE_NODE_UNAVAILABLE: { status: 503, retryable: true, summary: 'no node could be reached after retries and failover' },
  TRACE_STORE_LOCKED: { status: 503, retryable: true, summary: 'another process holds the store (LevelDB allows one)' },
  TRACE_STORE_CORRUPT: { status: 500, retryable: false, summary: 'the store holds a record it cannot decode' },
  TRACE_INVALID_IMPORT: {
    status: 400,
    retryable: false,
    summary: 'an import line is not a verified NIS1 transaction, is too long, or conflicts with the store; nothing was imported',
  },
  TRACE_STORE_EMPTY: { status: 400, retryable: false, summary: 'the store holds nothing for this job (crawl first)' },
  TRACE_NOT_FOUND: { status: 404, retryable: false, summary: 'no such account, transfer or route' },
  TRACE_INDEX_NOT_READY: { status: 503, retryable: true, summary: 'the taint index is not loaded yet' },
  TRACE_UNAUTHORIZED: { status: 401, retryable: false, summary: 'missing or unknown API key' },
  TRACE_RATE_LIMITED: { status: 429, retryable: true, summary: 'too many requests (or failed API keys) from this key or client address' },
  TRACE_PAYLOAD_TOO_LARGE: { status: 413, retryable: false, summary: 'request body or batch above the limit' },
  TRACE_WORK_LIMIT: {
    status: 413,
    retryable: false,
    summary: 'the request needs more work than one request may take (exposure cones above the per-request transfer cap)',
  },
  TRACE_INVALID_JSON: { status: 400, retryable: false, summary: 'request body is not valid JSON (or is empty where JSON is required)' },
  TRACE_UNSUPPORTED_MEDIA_TYPE: { status: 415, retryable: false, summary: 'request body content type is not application/json' },
  TRACE_BAD_REQUEST: {
    status: 400,
    retryable: false,
    summary: 'the request is not well-formed HTTP (rejected by the parser before routing)',
  },
  TRACE_REQUEST_TIMEOUT: { status: 408, retryable: true, summary: 'the request (headers and body) did not arrive within the deadline' },
  TRACE_HEADERS_TOO_LARGE: { status: 431, retryable: false, summary: 'the request headers are larger than the limit' },
  TRACE_OVERLOADED: { status: 503, retryable: true, summary: 'the server holds as many connections as it allows; retry later' },
  TRACE_INTERNAL: { status: 500, retryable: false, summary: 'an unexpected internal error (a bug): details are in the server log' },
} as const satisfies Record<string, { status: number; retryable: boolean; summary: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class TracerError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  /** Structured context (node URL, request path, field name …) for logs and JSON output. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown>; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TracerError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.retryable = options.retryable ?? ERRORS[code].retryable;
    this.details = options.details ?? {};
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function isTracerError(err: unknown, code?: ErrorCode): err is TracerError {
  return err instanceof TracerError && (code === undefined || err.code === code);
}
