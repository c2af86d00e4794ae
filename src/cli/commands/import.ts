/**
 * `tainttrace import --db DIR FILE…|- [--batch N] [--json]` — bulk ingest of NDJSON NIS1
 * `TransactionMetaDataPair` items (docs/contracts.md §6 "Import"; src/store/import.ts): every line
 * validated like a crawled page's items (normalised, hashes recomputed) before anything is written; then large atomic
 * batches. A bad line is one error line naming the file and line number, and the store is untouched.
 */
import { existsSync } from 'node:fs';
import { TracerError } from '../../errors.js';
import { DEFAULT_IMPORT_BATCH, importTransactions, type ImportSource } from '../../store/index.js';
import { intFlag, parseFlags, requireFlag, writeJson, type Command } from '../args.js';

const USAGE = `
tainttrace import --db DIR FILE…|- [--batch N] [--json]

Imports NIS1 transactions from NDJSON files (one TransactionMetaDataPair per line, the items of
/account/transfers/* and the answer of /transaction/get; - reads stdin). Every line is checked as a
crawled page's items are — normalised, hashes recomputed — and checked against the store
and the rest of the import (one hash, one height, one record) before anything is written: a bad line
stops the import with its file and line number and the store is left as it was. Then the new
transfers are written in large atomic batches. Other transaction types are counted and skipped.
Lines in chain order (oldest block first) also keep the packed copy the trace loads from current.

  --db DIR    the store directory (created if missing)
  --batch N   transfers per atomic batch (default ${DEFAULT_IMPORT_BATCH})
  --json      print { lines, items, transfers, added, repeated, others, batches, elapsedMs }
`;

export const importCommand: Command = {
  name: 'import',
  summary: 'import NDJSON NIS1 transactions into the store (validated, atomic batches)',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseFlags(
      argv,
      { db: { type: 'string' }, batch: { type: 'string' }, json: { type: 'boolean' } },
      true,
    );
    const dir = requireFlag(values.db, 'db');
    const batchSize = intFlag(values.batch, 'batch', DEFAULT_IMPORT_BATCH, 1, 10_000_000);
    if (positionals.length === 0)
      throw new TracerError('TRACE_INVALID_OPTION', 'give the NDJSON file(s) to import, or - for stdin (see --help)');
    if (positionals.filter((p) => p === '-').length > 1) throw new TracerError('TRACE_INVALID_OPTION', 'stdin (-) can be read once');
    for (const p of positionals) if (p !== '-' && !existsSync(p)) throw new TracerError('TRACE_INVALID_OPTION', `no file ${p}`);
    const inputs = positionals.map((p): string | ImportSource => (p === '-' ? { name: 'stdin', stream: io.stdin ?? process.stdin } : p));
    const started = performance.now();
    const r = await importTransactions({ store: dir, inputs, batchSize });
    const elapsedMs = Math.round(performance.now() - started);
    if (values.json) writeJson(io, { ...r, elapsedMs });
    else {
      io.stdout.write(
        `imported ${r.added} new transfer(s) of ${r.transfers} in ${r.items} item(s) (${r.repeated} already stored or repeated,` +
          ` ${r.others} other type(s)) ` +
          `in ${r.batches} batch(es), ${(elapsedMs / 1000).toFixed(1)} s, into ${dir}\n`,
      );
    }
    return 0;
  },
};
