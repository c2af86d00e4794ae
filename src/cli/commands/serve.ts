/**
 * `tainttrace serve --db DIR [--port N] [--host 127.0.0.1] [--api-keys FILE] [--rate N] …` — loads
 * the taint index and, for GET /v1/exposure, the transfers from the store unless `--no-exposure` (then releases the store),
 * listens, prints its URL, and shuts down gracefully on SIGINT/SIGTERM (in-flight requests finish, new
 * ones get 503; after the request deadline and a second, whatever is still open is closed).
 */
import {
  buildServer,
  closeGracefully,
  DEFAULT_LIMITS,
  DEFAULT_RATE_LIMIT,
  readApiKeysFile,
  resolveTrustProxy,
} from '../../server/index.js';
import { loadTaintIndexFromDir } from '../../screen/index.js';
import { loadConeSource, type ConeSource } from '../../exposure/index.js';
import { openStore } from '../../store/index.js';
import { intFlag, parseFlags, requireFlag, type Command } from '../args.js';

/** The store's transfers, labels and expanded accounts in memory, for GET /v1/exposure (then the store is released). */
async function loadExposureSource(dir: string): Promise<ConeSource> {
  const store = await openStore(dir, { untouched: true }); // the directory's files stay unchanged (evidence media)
  try {
    return await loadConeSource(store);
  } finally {
    await store.close();
  }
}

const USAGE = `
tainttrace serve --db DIR [--port N] [--host H] [--api-keys FILE] [--rate N] [--max-connections N] [--open-metrics]
                 [--trust-proxy LIST] [--no-exposure] [--json]

Serves the HTTP lookup API over the stored taint index:
  GET /v1/accounts/{address}   GET /v1/transfers/{hash}   POST /v1/screen
  GET /v1/exposure/{address}[?hops=N&asOf=ISO&categories=C,…&policy=P,…]   (from the store's transfers, loaded at start)
  GET /healthz   GET /readyz   GET /metrics   GET /openapi.json

  --db DIR          the store directory (read at start, then released)
  --no-exposure     serve the taint index only: the store's transfers are not loaded (exposure answers
                    404) — a screening server then holds the index alone (README "Benchmarks": about
                    1.3 of 5.7 GiB at 10M transfers)
  --port N          port (default 8080; 0 = any free port)
  --host H          interface (default 127.0.0.1)
  --api-keys FILE   require Authorization: Bearer <key>; FILE is JSON or one key per line, keys of at
                    least 32 characters (make them with tainttrace keys new); 10 failed keys per
                    client address, then one more every 10 s (429 until then)
  --rate N          requests per second per key (per client address without keys); burst 2×N
                    (default 100; 0 = no limit)
  --max-connections N   open connections at most (default 1024; 503 above)
  --open-metrics    serve /metrics without a key even with --api-keys
  --trust-proxy LIST    behind a reverse proxy: its addresses or CIDR ranges (comma-separated; or
                    loopback, linklocal, uniquelocal); the per-client limits then use the client
                    address the proxy puts in X-Forwarded-For (default: off, the header is ignored)
`;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'the HTTP lookup endpoint over the taint index',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      db: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'api-keys': { type: 'string' },
      rate: { type: 'string' },
      'max-connections': { type: 'string' },
      'open-metrics': { type: 'boolean' },
      'trust-proxy': { type: 'string' },
      'no-exposure': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const dir = requireFlag(values.db, 'db');
    const port = intFlag(values.port, 'port', 8080, 0, 65535);
    const host = values.host ?? '127.0.0.1';
    const apiKeys = values['api-keys'] === undefined ? null : readApiKeysFile(values['api-keys']);
    const rate = intFlag(values.rate, 'rate', DEFAULT_RATE_LIMIT.perSecond, 0, 1_000_000);
    const maxConnections = intFlag(values['max-connections'], 'max-connections', DEFAULT_LIMITS.maxConnections, 1, 1_000_000);
    const trustProxy = values['trust-proxy'] === undefined ? false : resolveTrustProxy(values['trust-proxy']);
    const index = await loadTaintIndexFromDir(dir);
    const exposure = values['no-exposure'] === true ? null : await loadExposureSource(dir);
    const app = buildServer({
      index,
      exposure,
      apiKeys,
      rateLimit: rate === 0 ? false : { capacity: rate * 2, perSecond: rate },
      limits: { maxConnections },
      openMetrics: values['open-metrics'] ?? false,
      trustProxy,
    });
    if (io.signal.aborted) return 0;
    const address = await app.listen({ port, host });
    const url = address.replace('://[::1]', '://localhost');
    if (values.json)
      io.stdout.write(`${JSON.stringify({ url, accounts: index.accounts.size, transfers: index.transfers.size, asOf: index.asOf })}\n`);
    else
      io.stdout.write(
        `tainttrace serving ${index.accounts.size} accounts, ${index.transfers.size} transfers (as of height ${index.asOf.height}) ` +
          `at ${url}${apiKeys ? ` — ${apiKeys.length} API key(s)` : ''}\n`,
      );
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    io.stderr.write('tainttrace serve: shutting down\n');
    await closeGracefully(app, DEFAULT_LIMITS.requestTimeout + 1000);
    return 0;
  },
};
