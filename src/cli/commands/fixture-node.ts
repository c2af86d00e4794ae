/**
 * `tainttrace fixture-node [--scenario coincheck] [--port N] [--host H] [--faults SPEC] [--id-offset N] [--json]`
 * — serves a scenario over the NIS1 API (src/fixture/node) until SIGINT/SIGTERM. Everything is
 * validated before anything listens: a bad port, fault spec or scenario name is a one-line error.
 */
import { TracerError } from '../../errors.js';
import { loadScenario } from '../../fixture/scenarios.js';
import { formatFaultSpec, parseFaultSpec } from '../../fixture/node/faults.js';
import { startFixtureNode } from '../../fixture/node/server.js';
import { intFlag, parseFlags, type Command } from '../args.js';

const USAGE = `
tainttrace fixture-node [--scenario NAME] [--port N] [--host H] [--faults SPEC] [--id-offset N] [--json]

Serves a fixture scenario over the NIS1 HTTP API (GET /account/transfers/incoming|outgoing|all,
/account/get, /account/mosaic/owned, /chain/height, /chain/last-block, /node/info, /heartbeat,
/status; POST /block/at/public) until stopped with Ctrl-C.

  --scenario NAME   scenario to serve (default coincheck)
  --port N          port (default 7890, as NIS; 0 = any free port)
  --host H          interface (default 127.0.0.1)
  --faults SPEC     inject faults, e.g. "5xx=0.2,429=0.1,reset=0.05,truncate=0.02,inconsistent=0.01,latency=5-200,seed=7"
                    (rates per request, latency in ms N or N-M, seed for a reproducible sequence,
                    scope=data|data+heartbeat|all: which routes faults hit, default data = /account/*, /block/*)
  --id-offset N     node-local id base (meta.id = chain position + 1 + N), to mimic a second node
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
      json: { type: 'boolean' },
    });
    const name = values.scenario ?? 'coincheck';
    const port = intFlag(values.port, 'port', 7890, 0, 65535);
    const host = values.host ?? '127.0.0.1';
    if (host.trim() === '') throw new TracerError('TRACE_INVALID_OPTION', '--host must not be empty');
    const faults = parseFaultSpec(values.faults ?? '');
    const idOffset = intFlag(values['id-offset'], 'id-offset', 0, 0, 2 ** 52);
    const scenario = loadScenario(name);
    if (io.signal.aborted) return 0;
    const node = await startFixtureNode({ scenario, host, port, faults, idOffset });
    const faultText = values.faults === undefined || values.faults.trim() === '' ? null : formatFaultSpec(faults);
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ url: node.url, scenario: scenario.name, host, port: node.port, transactions: scenario.txs.length, tipHeight: scenario.tipHeight, faults: faultText, idOffset })}\n`);
    } else {
      io.stdout.write(`fixture node for ${scenario.name} listening on ${node.url} (${scenario.txs.length} transactions, tip ${scenario.tipHeight})${faultText ? ` — faults ${faultText}` : ''}\n`);
    }
    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve();
      else io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    const stats = node.stats();
    await node.close();
    const faultCount = Object.entries(stats.faults).map(([k, v]) => `${k} ${v}`).join(', ');
    io.stderr.write(`tainttrace fixture-node: stopped after ${stats.requests} requests${faultCount ? ` (faults: ${faultCount})` : ''}\n`);
    return 0;
  },
};
