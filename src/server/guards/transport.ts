/**
 * The HTTP transport under the routes, and its errors before routing.
 *
 * - The node:http server is made here (fastify's `serverFactory`) so every limit is set where node
 *   enforces it: `requestTimeout` (the whole request, headers and body, must arrive in time; node
 *   checks every `connectionsCheckingInterval`, which node leaves at 30 s — here a tenth of the
 *   deadline, at most 250 ms, so a body sent at 1 byte/s is cut at the deadline, not up to 30 s
 *   later), `headersTimeout`, `maxHeaderSize`, keep-alive and socket inactivity.
 * - A connection cap: above `maxConnections` open sockets, a new one is answered 503
 *   TRACE_OVERLOADED and closed (node's own `maxConnections` drops it without a word).
 * - Errors of node's HTTP parser and deadlines (fastify's `clientErrorHandler`) are answered in
 *   the API's shape: 400 TRACE_BAD_REQUEST, 408 TRACE_REQUEST_TIMEOUT, 431
 *   TRACE_HEADERS_TOO_LARGE — unless part of a response was already written on that socket; an
 *   HTTP/1.1 request without Host (node's own bare 400) is 400 TRACE_BAD_REQUEST too.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorCode } from '../../errors.js';
import type { ServerContext } from '../context.js';
import { reply } from './errors.js';

/** Node's codes of client errors → ours (parser errors HPE_* are TRACE_BAD_REQUEST). */
const BY_NODE_CODE: Record<string, ErrorCode> = {
  ERR_HTTP_REQUEST_TIMEOUT: 'TRACE_REQUEST_TIMEOUT',
  HPE_HEADER_OVERFLOW: 'TRACE_HEADERS_TOO_LARGE',
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 'TRACE_HEADERS_TOO_LARGE',
};

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  TRACE_REQUEST_TIMEOUT: 'the request did not arrive in time',
  TRACE_HEADERS_TOO_LARGE: 'the request headers are too large',
  TRACE_OVERLOADED: 'too many open connections; retry later',
};

/** A whole HTTP/1.1 error response in the API's shape, closing the connection. */
export function rawErrorResponse(code: ErrorCode, message: string): string {
  const e = reply(code, message);
  const body = JSON.stringify(e.body);
  const retry = code === 'TRACE_OVERLOADED' ? 'Retry-After: 1\r\n' : '';
  return (
    `HTTP/1.1 ${e.status} ${http.STATUS_CODES[e.status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n${retry}Connection: close\r\n\r\n${body}`
  );
}

/** The code and message for a client error of node's, or null when there is nothing to answer. */
export function clientErrorCode(err: NodeJS.ErrnoException): ErrorCode | null {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE') return null;
  return BY_NODE_CODE[err.code ?? ''] ?? 'TRACE_BAD_REQUEST';
}

/** fastify's `clientErrorHandler`. */
export function clientErrorHandlerOf(ctx: ServerContext) {
  return (err: NodeJS.ErrnoException, socket: Socket): void => {
    const code = clientErrorCode(err);
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (code !== null && !socket.destroyed && socket.writable && !inFlight?.headersSent) {
      ctx.metrics.clientError(code);
      const message = MESSAGES[code] ?? `malformed HTTP request (${String(err.code ?? 'parse error').slice(0, 40)})`;
      socket.end(rawErrorResponse(code, message));
      socket.destroySoon();
      return;
    }
    socket.destroy();
  };
}

/** fastify's `serverFactory`: the node:http server with the limits and the connection cap. */
export function serverFactoryOf(ctx: ServerContext) {
  const l = ctx.config.limits;
  return (handler: (req: IncomingMessage, res: ServerResponse) => void): http.Server => {
    const server = http.createServer(
      {
        requestTimeout: l.requestTimeout,
        headersTimeout: l.headersTimeout,
        maxHeaderSize: l.maxHeaderSize,
        keepAliveTimeout: l.keepAliveTimeout,
        connectionsCheckingInterval: Math.max(10, Math.min(250, Math.floor(l.requestTimeout / 10))),
        // Node answers an HTTP/1.1 request without Host 400 with an empty body; here it gets the API's shape.
        requireHostHeader: false,
      },
      (req, res) => {
        if (req.headers.host === undefined && req.httpVersion === '1.1') {
          ctx.metrics.clientError('TRACE_BAD_REQUEST');
          const body = JSON.stringify(reply('TRACE_BAD_REQUEST', 'an HTTP/1.1 request needs a Host header').body);
          res
            .writeHead(400, {
              'content-type': 'application/json; charset=utf-8',
              'content-length': Buffer.byteLength(body),
              connection: 'close',
            })
            .end(body);
          return;
        }
        handler(req, res);
      },
    );
    server.setTimeout(l.connectionTimeout);
    let open = 0;
    server.on('connection', (socket: Socket) => {
      if (open >= l.maxConnections) {
        ctx.metrics.clientError('TRACE_OVERLOADED');
        socket.pause();
        socket.end(rawErrorResponse('TRACE_OVERLOADED', MESSAGES.TRACE_OVERLOADED!));
        socket.destroySoon();
        return;
      }
      open++;
      socket.once('close', () => open--);
    });
    return server;
  };
}
