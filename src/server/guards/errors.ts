/**
 * Error shaping: every failure → `{ error: { code, message } }` with the TracerError registry's
 * status. Fastify's own errors (validation, content type, body size, JSON parse, bad URL) become
 * TRACE_* codes and 4xx; only an unexpected error is TRACE_INTERNAL 500 (its message is not leaked).
 * `installErrorShaping` sets the server's error and not-found handlers; `frameworkErrorsOf` is
 * fastify's hook for errors raised before routing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, isTracerError, type ErrorCode } from '../../errors.js';
import type { ServerContext } from '../context.js';

export interface ErrorReply {
  status: number;
  body: { error: { code: ErrorCode; message: string } };
}

const BY_FASTIFY_CODE: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'TRACE_PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'TRACE_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'TRACE_INVALID_OPTION',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'TRACE_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'TRACE_INVALID_JSON',
  FST_ERR_CTP_INVALID_TYPE: 'TRACE_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_BAD_URL: 'TRACE_INVALID_OPTION',
  FST_ERR_ASYNC_CONSTRAINT: 'TRACE_INVALID_OPTION',
  FST_ERR_NOT_FOUND: 'TRACE_NOT_FOUND',
};

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'TRACE_INVALID_OPTION',
  401: 'TRACE_UNAUTHORIZED',
  404: 'TRACE_NOT_FOUND',
  413: 'TRACE_PAYLOAD_TOO_LARGE',
  415: 'TRACE_UNSUPPORTED_MEDIA_TYPE',
  429: 'TRACE_RATE_LIMITED',
};

/** Field of a screen deposit → the code a bad value of it deserves. */
const BY_FIELD: Record<string, ErrorCode> = {
  from: 'TRACE_INVALID_ADDRESS',
  address: 'TRACE_INVALID_ADDRESS',
  amount: 'TRACE_INVALID_AMOUNT',
  time: 'TRACE_INVALID_TIME',
  hash: 'TRACE_INVALID_HASH',
};

export function reply(code: ErrorCode, message: string): ErrorReply {
  return { status: ERRORS[code].status, body: { error: { code, message } } };
}

export function toErrorReply(err: unknown): ErrorReply {
  if (isTracerError(err)) return reply(err.code, err.message);
  const e = (err ?? {}) as { code?: unknown; statusCode?: unknown; validation?: unknown; message?: unknown; validationContext?: unknown };
  const message = typeof e.message === 'string' ? e.message : 'bad request';
  if (Array.isArray(e.validation)) {
    const first = e.validation[0] as { keyword?: string; instancePath?: string; params?: { missingProperty?: string } } | undefined;
    const field =
      first?.keyword === 'required' ? (first.params?.missingProperty ?? '') : ((first?.instancePath ?? '').split('/').pop() ?? '');
    const code =
      BY_FIELD[field] && (e.validationContext === 'body' || e.validationContext === 'params') ? BY_FIELD[field] : 'TRACE_INVALID_OPTION';
    return reply(code, message);
  }
  if (typeof e.code === 'string' && BY_FASTIFY_CODE[e.code]) return reply(BY_FASTIFY_CODE[e.code], message);
  if (err instanceof SyntaxError) return reply('TRACE_INVALID_JSON', message);
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) return reply(BY_STATUS[status] ?? 'TRACE_INVALID_OPTION', message);
  return reply('TRACE_INTERNAL', 'internal error');
}

/** Answers `err` in the error shape (logged when it is a 5xx). */
export function sendError(err: unknown, request: FastifyRequest, rep: FastifyReply): void {
  const e = toErrorReply(err);
  if (e.status >= 500) request.log.error({ err }, 'request failed');
  void rep.code(e.status).send(e.body);
}

/** fastify's `frameworkErrors` option: errors raised before a route is chosen (bad URL, content type …). */
export function frameworkErrorsOf(ctx: ServerContext) {
  return (err: Error, request: FastifyRequest, rep: FastifyReply): void => {
    const e = toErrorReply(err);
    ctx.metrics.observe('unmatched', request.method, e.status, rep.elapsedTime / 1000);
    void rep.code(e.status).send(e.body);
  };
}

export function installErrorShaping(app: FastifyInstance, ctx: ServerContext): void {
  app.setErrorHandler((err, request, rep) => sendError(err, request, rep));
  app.setNotFoundHandler((request, rep) => {
    const e = reply('TRACE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0].slice(0, 200)}`);
    ctx.metrics.observe('unmatched', request.method, e.status, rep.elapsedTime / 1000);
    void rep.code(e.status).send(e.body);
  });
}
