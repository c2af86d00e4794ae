/**
 * `tainttrace follow --node URL[,URL…] --db DIR --case FILE [--interval S] [--webhook URL
 * --webhook-secret-file F] [--watch FILE] [--serve --port N] [--json]` — the long-running writer of
 * src/follow: catches up, reads each new block once, re-traces, raises events (printed one line each,
 * NDJSON with --json), delivers them to a webhook, and with --serve answers the lookup API from the
 * index it keeps current (swapped atomically after each re-trace) plus GET /v1/events.
 * Every flag, the case, the watch list and the secret are checked before the store is opened.
 */
import {
  EVENTS_SUBLEVEL,
  EventLog,
  formatEvent,
  loadWatchList,
  parseWebhookUrl,
  readWebhookSecret,
  runWebhook,
  WEBHOOKS_SUBLEVEL,
} from '../../events/index.js';
import { follow } from '../../jobs/index.js';
import { loadCase } from '../../labels/index.js';
import { loadTaintIndex, TAINT_INDEX_SUBLEVEL, type JsonSublevel } from '../../screen/index.js';
import { buildServer, setServerIndex } from '../../server/index.js';
import { openStore } from '../../store/index.js';
import { TracerError, isTracerError } from '../../errors.js';
import { intFlag, nodesFlag, parseFlags, requireFlag, type Command } from '../args.js';

const USAGE = `
tainttrace follow --node URL[,URL…] --db DIR --case FILE [--interval S] [--watch FILE]
                  [--webhook URL --webhook-secret-file F] [--serve [--port N] [--host H]] [--json]

Follows the chain live: catches up like crawl, then reads each new block once (signatures verified),
stores what the case needs, backfills newly reached accounts, re-traces every policy, and raises events
(account.tainted, exit.reached, watch.moved, watch.drained, transfer.retracted, index.updated), stored
in the store and printed as they fire. Stop with Ctrl-C; run it again to continue where it stopped.

  --node URL[,URL…]         NIS1 node(s); several for failover
  --db DIR                  the store directory (this process is its one writer)
  --case FILE               the case file
  --interval S              seconds between rounds (default 15)
  --watch FILE              a watch list (YAML: watch: [ { address, label?, drainPercent?, drainWindow? } ])
  --webhook URL             POST every event there (signed, in order, retried until 2xx)
  --webhook-secret-file F   the HMAC-SHA256 secret (at least 16 bytes)
  --serve                   also answer the HTTP lookup API and GET /v1/events
  --port N, --host H        where --serve listens (default 8080, 127.0.0.1)
  --rate N                  requests per second of the backfill crawls (default 10)
  --json                    print events as NDJSON instead of lines
`;

export const followCommand: Command = {
  name: 'follow',
  summary: 'follow the chain live: new blocks, re-traces, events, webhooks, a current index',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      node: { type: 'string', multiple: true },
      db: { type: 'string' },
      case: { type: 'string' },
      interval: { type: 'string' },
      watch: { type: 'string' },
      webhook: { type: 'string' },
      'webhook-secret-file': { type: 'string' },
      serve: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      rate: { type: 'string' },
      json: { type: 'boolean' },
    });
    const nodes = nodesFlag(values.node);
    const dir = requireFlag(values.db, 'db');
    const caseFile = requireFlag(values.case, 'case');
    const intervalMs = intFlag(values.interval, 'interval', 15, 1, 86_400) * 1000;
    const rate = intFlag(values.rate, 'rate', 10, 1, 100_000);
    const port = intFlag(values.port, 'port', 8080, 0, 65535);
    if ((values.webhook === undefined) !== (values['webhook-secret-file'] === undefined)) {
      throw new TracerError('TRACE_INVALID_OPTION', '--webhook and --webhook-secret-file go together');
    }
    const webhook =
      values.webhook === undefined
        ? null
        : { url: parseWebhookUrl(values.webhook), secret: readWebhookSecret(values['webhook-secret-file']!) };
    const watch = values.watch === undefined ? new Map() : loadWatchList(values.watch);
    await loadCase(caseFile); // a bad case is reported before the store is opened

    const store = await openStore(dir);
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    io.signal.addEventListener('abort', onAbort, { once: true });
    const background: Promise<unknown>[] = [];
    let app: ReturnType<typeof buildServer> | null = null;
    try {
      const log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), store.dir);
      if (webhook) background.push(runWebhook({ ...webhook, log, positions: store.sublevel(WEBHOOKS_SUBLEVEL) }, stop.signal));
      if (values.serve) {
        const index = await loadTaintIndex(store.sublevel(TAINT_INDEX_SUBLEVEL) as JsonSublevel).catch((err) => {
          if (isTracerError(err, 'TRACE_STORE_EMPTY')) return undefined;
          throw err;
        });
        app = buildServer({ index, events: log });
        const url = (await app.listen({ port, host: values.host ?? '127.0.0.1' })).replace('://[::1]', '://localhost');
        io.stderr.write(`tainttrace follow: serving at ${url}\n`);
      }
      const summary = await follow({
        nodes,
        store,
        caseFile,
        watch,
        events: log,
        intervalMs,
        signal: stop.signal,
        crawl: { rate },
        log: (line) => io.stderr.write(`tainttrace follow: ${line}\n`),
        onIndex: (index) => {
          if (app) setServerIndex(app, index);
        },
        onEvents: (events) => {
          for (const e of events) io.stdout.write(values.json ? `${JSON.stringify(e)}\n` : `${formatEvent(e)}\n`);
        },
      });
      io.stderr.write(
        `tainttrace follow: stopped at height ${summary.height} (${summary.blocks} blocks read, ${summary.retraces} re-traces,` +
          ` ${summary.events} events)\n`,
      );
    } finally {
      stop.abort();
      io.signal.removeEventListener('abort', onAbort);
      await Promise.allSettled(background);
      if (app) await app.close();
      await store.close();
    }
    return 0;
  },
};
