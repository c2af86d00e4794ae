/**
 * The writer test/store/running-stats.test.ts kills with SIGKILL: `node --import tsx test/store/stats-child.ts DIR SEED`
 * writes to the store in DIR without end — appends of 2,000 transfers, and now and then a backfill below the end,
 * a fork's deletion at the end, or a stats() call (which keeps the state a full read found) — printing "ok" after
 * each, until it is killed.
 */
import { mulberry32 } from '../../src/fixture/synthetic.js';
import { openStore } from '../../src/store/index.js';
import { transfer } from './transfers.js';

const [dir, seedText] = process.argv.slice(2);
const random = mulberry32(Number(seedText));
const store = await openStore(dir);
const BASE = 1_475_000;
let next = Math.max(10_000, (await store.tipHeight()) - BASE + 1);
for (;;) {
  const r = random();
  if (r < 0.15) await store.writeBatch({ transfers: [transfer(Math.floor(random() * 10_000))] });
  else if (r < 0.25) await store.deleteTransfers([transfer(next - 1 - Math.floor(random() * 100)).hash]);
  else if (r < 0.35) await store.stats();
  else {
    await store.writeBatch({ transfers: Array.from({ length: 2000 }, (_, i) => transfer(next + i)) });
    next += 2000;
  }
  process.stdout.write('ok\n');
}
