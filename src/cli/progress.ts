/**
 * Crawl progress on the terminal (stderr): a cli-progress bar on a TTY (accounts done/queued,
 * transfers, requests/s, retries, current node); otherwise at most one plain log line a second
 * and a last one at the end. Shared by `tainttrace crawl` and `tainttrace demo`.
 */
import cliProgress from 'cli-progress';
import type { CrawlProgress } from '../crawl/index.js';
import type { CommandIO } from './args.js';

export interface ProgressReporter {
  update: (p: CrawlProgress) => void;
  /** Before writing other lines: clears the bar (it is redrawn on the next update). */
  pause: () => void;
  stop: () => void;
}

export function crawlProgressReporter(io: CommandIO, quiet = false): ProgressReporter {
  if (io.stderr.isTTY && !quiet) return barReporter(io);
  let last = -Infinity;
  let latest: CrawlProgress | null = null;
  let shown = true;
  const line = (p: CrawlProgress) =>
    io.stderr.write(
      `crawl accounts=${p.accountsDone}/${p.accountsDone + p.accountsQueued} transfers=${p.transfers} requests=${p.requests} ` +
        `rps=${p.requestsPerSecond.toFixed(1)} retries=${p.retries} failovers=${p.failovers} ` +
        `node=${p.node}${p.lastError ? ` last_error=${JSON.stringify(p.lastError)}` : ''}\n`,
    );
  return {
    update(p) {
      latest = p;
      shown = false;
      if (quiet) return;
      if (p.elapsedMs - last >= 1000) {
        last = p.elapsedMs;
        line(p);
        shown = true;
      }
    },
    pause() {
      this.stop();
    },
    stop() {
      if (!quiet && latest && !shown) line(latest);
      shown = true;
    },
  };
}

function barReporter(io: CommandIO): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream: io.stderr,
      format: 'crawl [{bar}] {value}/{total} accounts | {transfers} transfers | {rps} req/s | {retries} retries | {node}',
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    update(p) {
      const total = p.accountsDone + p.accountsQueued;
      const payload = { transfers: p.transfers, rps: p.requestsPerSecond.toFixed(1), retries: p.retries, node: p.node };
      if (!running) {
        bar.start(total, p.accountsDone, payload);
        running = true;
      } else {
        bar.setTotal(total);
        bar.update(p.accountsDone, payload);
      }
    },
    pause() {
      if (running) bar.stop();
      running = false;
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
