/**
 * `tainttrace stats --db DIR [--json]` — what the store holds: `{ transfers, accounts, tipHeight,
 * digest }`, where `digest` is a sha256 over the stored transfer set that does not depend on the
 * order the transfers were crawled in (src/store). Opens the store read-only: a missing store is
 * TRACE_STORE_EMPTY, one in use by a crawl is TRACE_STORE_LOCKED.
 */
import { openStore } from '../../store/index.js';
import { parseFlags, requireFlag, writeJson, type Command } from '../args.js';

const USAGE = `
tainttrace stats --db DIR [--json]

Prints what the store holds: transfers, reached accounts, tip height (the newest stored transfer's
height, or the chain height the last crawl saw if higher) and a digest of the stored transfer set
(sha256, the same whatever order the transfers were crawled in — compare two stores with it).

  --db DIR   the store directory
  --json     print { transfers, accounts, tipHeight, digest }
`;

export const statsCommand: Command = {
  name: 'stats',
  summary: 'what the store holds (counts, tip height, digest)',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseFlags(argv, { db: { type: 'string' }, json: { type: 'boolean' } });
    const dir = requireFlag(values.db, 'db');
    const store = await openStore(dir, { untouched: true }); // the directory's files stay unchanged (evidence media)
    try {
      const s = await store.stats();
      if (values.json) writeJson(io, { transfers: s.transfers, accounts: s.accounts, tipHeight: s.tipHeight, digest: s.digest });
      else io.stdout.write(`transfers  ${s.transfers}\naccounts   ${s.accounts}\ntip height ${s.tipHeight}\ndigest     ${s.digest}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
