/**
 * `tainttrace demo [--dir DIR] [--faults SPEC] [--serve] [--port N] [--json]` — the whole job on
 * embedded defaults (what `npm start` runs): fixture node → crawl → trace → reports → summary.
 * `tainttrace demo --live [--blocks N] [--block-ms N]` — the scenario unfolds block by block on a live
 * fixture node and the follower prints each alert as it fires (src/jobs/live-demo.ts).
 */
import { runDemo, runLiveDemo } from '../../jobs/index.js';
import { formatEvent } from '../../events/index.js';
import { renderSummary } from '../../report/index.js';
import { buildServer } from '../../server/index.js';
import { formatXem } from '../../nem/index.js';
import { intFlag, parseFlags, writeJson, type Command, type CommandIO } from '../args.js';
import { TracerError } from '../../errors.js';
import { crawlProgressReporter } from '../progress.js';

const USAGE = `
tainttrace demo [--dir DIR] [--faults SPEC] [--serve] [--port N] [--host H] [--json]
tainttrace demo --live [--dir DIR] [--blocks N] [--block-ms N] [--json]

Runs the whole job on embedded defaults: starts the fixture node for the Coincheck scenario on a
free loopback port, crawls the case into a fresh store, traces every policy, writes every report
format and prints the summary and where report.html is.

  --dir DIR      working folder: DIR/store (recreated) and DIR/report (default: tainttrace-demo)
  --faults SPEC  make the fixture node misbehave during the crawl, e.g. "5xx=0.2,429=0.1,seed=7"
  --serve        then serve the HTTP lookup API over the new taint index until stopped
  --port N       port for --serve (default 8080; 0 = any free port)
  --host H       interface for --serve (default 127.0.0.1)
  --json         print a JSON summary instead of the tables

  --live         the theft unfolds block by block on a live fixture node and \`follow\` prints each alert
                 as it fires (the scenario's hot wallet is watched: its drain alarm); ends by itself
  --blocks N     blocks holding transactions to play (default 120)
  --block-ms N   milliseconds between blocks (default 250; NIS1 makes one a minute)
`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'the whole job on embedded defaults (npm start)',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      dir: { type: 'string' },
      faults: { type: 'string' },
      serve: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      json: { type: 'boolean' },
      live: { type: 'boolean' },
      blocks: { type: 'string' },
      'block-ms': { type: 'string' },
    });
    if (values.live) return runLive(values, io);
    if (values.blocks !== undefined || values['block-ms'] !== undefined)
      throw new TracerError('TRACE_INVALID_OPTION', '--blocks and --block-ms go with --live');
    const port = intFlag(values.port, 'port', 8080, 0, 65535);
    const host = values.host ?? '127.0.0.1';
    const progress = values.json ? null : crawlProgressReporter(io, false);
    const started = performance.now();
    let demo;
    try {
      demo = await runDemo({
        dir: values.dir ?? 'tainttrace-demo',
        faults: values.faults,
        signal: io.signal,
        onProgress: progress?.update,
        onStage: values.json
          ? undefined
          : (line) => {
              progress?.pause();
              io.stdout.write(`${line}\n`);
            },
      });
    } finally {
      progress?.stop();
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (values.json) {
      writeJson(io, {
        nodeUrl: demo.nodeUrl,
        store: { dir: demo.storeDir, ...demo.stats },
        crawl: demo.crawl,
        seed: formatXem(demo.result.seed.amount),
        totals: Object.fromEntries(
          Object.entries(demo.result.policies).map(([p, r]) => [
            p,
            Object.fromEntries(Object.entries(r.totals).map(([k, v]) => [k, formatXem(v)])),
          ]),
        ),
        files: demo.files,
        seconds: Number(seconds),
      });
    } else {
      io.stdout.write(
        `\n${renderSummary(demo.result, { color: io.stdout.isTTY === true, width: (io.stdout as { columns?: number }).columns ?? 120 })}`,
      );
      io.stdout.write(
        `\nstored ${demo.stats.transfers} transfers of ${demo.stats.accounts} accounts ` +
          `(tip ${demo.stats.tipHeight}, digest ${demo.stats.digest.slice(0, 23)}…) in ${demo.storeDir}\n`,
      );
      io.stdout.write(`reports in ${demo.reportDir} — open ${demo.files['report.html'] ?? demo.reportDir}\n`);
      io.stdout.write(`done in ${seconds} s. Next: tainttrace screen --db ${demo.storeDir} <ADDRESS>, or tainttrace demo --serve\n`);
    }
    if (!values.serve || io.signal.aborted) return 0;

    const app = buildServer({ index: demo.index, apiKeys: null });
    const url = (await app.listen({ port, host })).replace('://[::1]', '://localhost');
    io.stdout.write(
      `serving the taint index at ${url} — Ctrl-C to stop\n  try: curl ${url}/v1/accounts/${demo.result.seed.transfers[0]?.to ?? ''}\n`,
    );
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await app.close();
    return 0;
  },
};

async function runLive(
  values: { dir?: string; blocks?: string; 'block-ms'?: string; json?: boolean; faults?: string; serve?: boolean },
  io: CommandIO,
): Promise<number> {
  if (values.faults !== undefined || values.serve)
    throw new TracerError('TRACE_INVALID_OPTION', '--faults and --serve do not go with --live');
  const blocks = intFlag(values.blocks, 'blocks', 120, 1, 1_000_000);
  const blockMs = intFlag(values['block-ms'], 'block-ms', 250, 0, 600_000);
  const say = (line: string) => {
    if (!values.json) io.stdout.write(`${line}\n`);
  };
  const started = performance.now();
  const demo = await runLiveDemo({
    dir: values.dir ?? 'tainttrace-demo',
    blocks,
    blockMs,
    signal: io.signal,
    onStage: say,
    onEvent: (e) =>
      values.json ? io.stdout.write(`${JSON.stringify(e)}\n`) : e.type === 'index.updated' ? undefined : say(formatEvent(e)),
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const counts: Record<string, number> = {};
  for (const { event } of demo.events) counts[event.type] = (counts[event.type] ?? 0) + 1;
  if (values.json) {
    writeJson(io, {
      nodeUrl: demo.nodeUrl,
      store: demo.storeDir,
      blocks: demo.blocks,
      tip: demo.tip,
      events: counts,
      seconds: Number(seconds),
    });
  } else {
    const list = Object.entries(counts)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ');
    say(`\n${demo.blocks} blocks played up to height ${demo.tip} in ${seconds} s: ${list || 'no events'}`);
    say(`the store is ${demo.storeDir} — tainttrace events --db ${demo.storeDir}, or follow on with tainttrace follow`);
  }
  return 0;
}
