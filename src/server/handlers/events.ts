/**
 * GET /v1/events?after=SEQ[&wait=S][&limit=N] — the event sequence of a following server
 * (docs/contracts.md §6 "Events"). JSON `{ events, head }`; with `wait` a long-poll that answers as
 * soon as an event after SEQ exists (or empty after S seconds). With `Accept: text/event-stream`, a
 * server-sent event stream (`id: <seq>`, `event: <type>`, `data: <json>`) from SEQ (or the
 * `Last-Event-ID` header) on, kept open with a comment every 15 s until the client or the server goes.
 * 404 TRACE_NOT_FOUND on a server that follows no chain.
 */
import { TracerError } from '../../errors.js';
import type { EventSource } from '../../events/index.js';
import type { ServerContext } from '../context.js';
import { JSON_TYPE, standard } from './bind.js';

const KEEPALIVE_MS = 15_000;

function source(ctx: ServerContext): EventSource {
  if (!ctx.events)
    throw new TracerError('TRACE_NOT_FOUND', 'this server follows no chain: it has no events (run tainttrace follow --serve)');
  return ctx.events;
}

export const eventRoutes = {
  getEvents: standard((ctx) => async (request, rep) => {
    const events = source(ctx);
    const q = request.query as { after?: string; wait?: string; limit?: string };
    const lastId = request.headers['last-event-id'];
    let after = Number(q.after ?? (typeof lastId === 'string' && /^[0-9]{1,15}$/.test(lastId) ? lastId : 0));
    const wait = Number(q.wait ?? 0);
    const limit = Number(q.limit ?? 1000);
    if (wait > 60) throw new TracerError('TRACE_INVALID_OPTION', `wait must be 0–60 seconds, got ${wait}`);
    if (limit < 1 || limit > 1000) throw new TracerError('TRACE_INVALID_OPTION', `limit must be 1–1000, got ${limit}`);

    if (!String(request.headers.accept ?? '').includes('text/event-stream')) {
      const closed = new AbortController();
      request.raw.once('close', () => closed.abort());
      if (wait > 0 && events.head <= after) await events.waitAfter(after, wait * 1000, closed.signal);
      const list = await events.read(after, limit);
      return rep.type(JSON_TYPE).send({ events: list, head: events.head });
    }

    // Server-sent events: the reply is ours from here on.
    rep.hijack();
    const res = rep.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const gone = new AbortController();
    const stop = () => gone.abort();
    request.raw.once('close', stop);
    const keepalive = setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
    try {
      while (!gone.signal.aborted && !ctx.state.closing) {
        const list = await events.read(after, limit);
        for (const e of list) res.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
        if (list.length) after = list[list.length - 1].seq;
        else await events.waitAfter(after, 1000, gone.signal); // wakes each second to notice a closing server
      }
    } finally {
      clearInterval(keepalive);
      request.raw.off('close', stop);
      res.end();
    }
  }),
};
