/**
 * `tainttrace fixture-node [--scenario coincheck] [--port N] [--host H] [--faults SPEC] [--id-offset N]
 *  [--live [--block-ms N] [--start-height H] [--fork-at H --fork-depth K]] [--json]`
 * — serves a scenario over the NIS1 API (src/fixture/node) until SIGINT/SIGTERM. Everything is
 * validated before anything listens: a bad port, fault spec or scenario name is a one-line error.
 */
import { TracerError } from '../../errors.js';
import { loadScenario, formatFaultSpec, parseFaultSpec, startFixtureNode } from '../../fixture/index.js';
import { intFlag, parseFlags, type Command } from '../args.js';

const USAGE = `
tainttrace fixture-node [--scenario NAME] [--port N] [--host H] [--faults SPEC] [--id-offset N]
                        [--live [--block-ms N] [--start-height H] [--fork-at H --fork-depth K]] [--json]

Serves a fixture scenario over the NIS1 HTTP API (GET /account/transfers/incoming|outgoing|all,
/account/get, /account/get/from-public-key, /account/get/forwarded, /account/status,
/account/mosaic/owned, /transaction/get, /namespace/mosaic/definition/page, /chain/height,
/chain/last-block, /node/info, /heartbeat, /status; POST /block/at/public) until stopped with Ctrl-C.

  --scenario NAME   scenario to serve (default coincheck)
  --port N          port (default 7890, as NIS; 0 = any free port)
  --host H          interface (default 127.0.0.1)
  --faults SPEC     inject faults, e.g. "5xx=0.2,429=0.1,reset=0.05,truncate=0.02,inconsistent=0.01,latency=5-200,seed=7"
                    (rates per request, latency in ms N or N-M, seed for a reproducible sequence,
                    scope=data|data+heartbeat|all: which routes faults hit, default data = /account/*, /block/*)
  --id-offset N     node-local id base (meta.id = chain position + 1 + N), to mimic a second node
  --live            the scenario unfolds: the tip starts at --start-height (default: the first
                    transaction's block) and advances one block every --block-ms (blocks without
                    transactions pass at once); lists and blocks show only what is at or below the tip
  --block-ms N      milliseconds per block in live mode (default 1000)
  --start-height H  the tip at start in live mode
  --fork-at H       with --fork-depth K: when the tip reaches H, replace its last K blocks once
  --fork-depth K    (a fork of up to 360 blocks, as NIS allows; their transactions are orphaned)
  --json            print the listening line as JSON
`;

export const fixtureNodeCommand: Command = {
  name: 'fixture-node',
  summary: 'serve a fixture scenario over the NIS1 API (with optional faults)',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseFlags(argv, {
      scenario: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      faults: { type: 'string' },
      'id-offset': { type: 'string' },
      live: { type: 'boolean' },
      'block-ms': { type: 'string' },
      'start-height': { type: 'string' },
      'fork-at': { type: 'string' },
      'fork-depth': { type: 'string' },
      json: { type: 'boolean' },
    });
    const name = values.scenario ?? 'coincheck';
    const port = intFlag(values.port, 'port', 7890, 0, 65535);
    const host = values.host ?? '127.0.0.1';
    if (host.trim() === '') throw new TracerError('TRACE_INVALID_OPTION', '--host must not be empty');
    const faults = parseFaultSpec(values.faults ?? '');
    const idOffset = intFlag(values['id-offset'], 'id-offset', 0, 0, 2 ** 52);
    const liveFlags = (['block-ms', 'start-height', 'fork-at', 'fork-depth'] as const).filter((f) => values[f] !== undefined);
    if (!values.live && liveFlags.length > 0) throw new TracerError('TRACE_INVALID_OPTION', `--${liveFlags[0]} needs --live`);
    const optionalInt = (flag: (typeof liveFlags)[number], max: number) =>
      values[flag] === undefined ? undefined : intFlag(values[flag], flag, 0, 0, max);
    const live = values.live
      ? {
          blockMs: optionalInt('block-ms', 86_400_000),
          startHeight: optionalInt('start-height', 2 ** 31 - 1),
          forkAt: optionalInt('fork-at', 2 ** 31 - 1),
          forkDepth: optionalInt('fork-depth', 360),
        }
      : undefined;
    const scenario = loadScenario(name);
    if (io.signal.aborted) return 0;
    const node = await startFixtureNode({ scenario, host, port, faults, idOffset, live });
    const liveText = live
      ? ` — live from height ${node.chain.tip()}, a block every ${live.blockMs ?? 1000} ms${
          live.forkAt === undefined ? '' : `, fork of ${live.forkDepth} blocks at ${live.forkAt}`
        }`
      : '';
    const faultText = values.faults === undefined || values.faults.trim() === '' ? null : formatFaultSpec(faults);
    if (values.json) {
      const info = {
        url: node.url,
        scenario: scenario.name,
        host,
        port: node.port,
        transactions: scenario.txs.length,
        tipHeight: scenario.tipHeight,
        faults: faultText,
        idOffset,
        live: live ? { ...live, tip: node.chain.tip() } : null,
      };
      io.stdout.write(`${JSON.stringify(info)}\n`);
    } else {
      io.stdout.write(
        `fixture node for ${scenario.name} listening on ${node.url} (${scenario.txs.length} transactions, ` +
          `tip ${scenario.tipHeight})${faultText ? ` — faults ${faultText}` : ''}${liveText}\n`,
      );
    }
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    const stats = node.stats();
    await node.close();
    const faultCount = Object.entries(stats.faults)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    io.stderr.write(`tainttrace fixture-node: stopped after ${stats.requests} requests${faultCount ? ` (faults: ${faultCount})` : ''}\n`);
    return 0;
  },
};
