/**
 * `tainttrace events --db DIR [--after SEQ] [--follow]` — prints the event sequence as NDJSON, one
 * event per line (docs/contracts.md §6 "Events"). Reads the store; while `tainttrace follow` holds it
 * (LevelDB lets one process in), reads the mirror the follower keeps beside it (`events.ndjson`).
 * `--follow` keeps printing new events as the follower appends them, until interrupted.
 */
import { join } from 'node:path';
import { isTracerError } from '../../errors.js';
import { EventLog, EVENTS_MIRROR, EVENTS_SUBLEVEL, MirrorReader, type TaintEvent } from '../../events/index.js';
import { openStore } from '../../store/index.js';
import { defaultSleep as sleep } from '../../crawl/index.js';
import { intFlag, parseFlags, requireFlag, type Command, type CommandIO } from '../args.js';

const USAGE = `
tainttrace events --db DIR [--after SEQ] [--follow]

Prints the events of a followed case as NDJSON, one per line:
{ "seq", "type", "at", "height", "final", "caseId", "policy"?, "account"?, "amount"?, "amounts"?, "transfer"?, "exit"? }
Types: account.tainted, exit.reached, watch.moved, watch.drained, transfer.retracted, index.updated.

  --db DIR      the store directory (tainttrace follow may be running on it)
  --after SEQ   only events after this seq (default 0: all)
  --follow      keep printing new events until interrupted
`;

const POLL_MS = 200;

export const eventsCommand: Command = {
  name: 'events',
  summary: 'print the event sequence (NDJSON), optionally following it',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseFlags(argv, { db: { type: 'string' }, after: { type: 'string' }, follow: { type: 'boolean' } });
    const dir = requireFlag(values.db, 'db');
    let after = intFlag(values.after, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
    const print = (events: TaintEvent[]) => {
      for (const e of events) io.stdout.write(`${JSON.stringify(e)}\n`);
      if (events.length) after = events[events.length - 1].seq;
    };
    const mirror = new MirrorReader(join(dir, EVENTS_MIRROR));
    try {
      const store = await openStore(dir, { readOnly: true });
      try {
        const log = await EventLog.open(store.sublevel(EVENTS_SUBLEVEL), null);
        for (let batch = await log.read(after); batch.length; batch = await log.read(after)) print(batch);
      } finally {
        await store.close();
      }
    } catch (err) {
      if (!isTracerError(err, 'TRACE_STORE_LOCKED')) throw err;
      print(mirror.readNew(after)); // the follower holds the store: its mirror has every committed event
    }
    if (!values.follow) return 0;
    await tail(mirror, () => after, print, io);
    return 0;
  },
};

async function tail(mirror: MirrorReader, after: () => number, print: (e: TaintEvent[]) => void, io: CommandIO): Promise<void> {
  while (!io.signal.aborted) {
    print(mirror.readNew(after()));
    await sleep(POLL_MS, io.signal);
  }
}
