/**
 * Graceful shutdown: stop accepting connections, answer new requests on open keep-alive
 * connections 503, let in-flight requests finish, close idle connections (fastify's close with
 * `return503OnClosing` and idle connections force-closed, also those that turn idle during the
 * drain), and after `graceMs` close whatever is still open — a client that never finishes its request cannot hold the process.
 */
import type { FastifyInstance } from 'fastify';

/** Default grace: the request deadline and one second (an in-flight request cannot take longer). */
export async function closeGracefully(app: FastifyInstance, graceMs: number): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections(), graceMs);
  // A keep-alive connection whose request was in flight at close turns idle when it is answered.
  const idle = setInterval(() => app.server.closeIdleConnections(), 100);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
    clearInterval(idle);
  }
}
