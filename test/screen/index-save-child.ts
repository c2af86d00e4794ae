/**
 * The writer test/screen/index-save-kill.test.ts kills with SIGKILL: `node --import tsx test/screen/index-save-child.ts
 * DIR [PAUSE_MS]` saves two synthetic indexes (seeds 1 and 2) into the store in DIR by turns, as `trace` does,
 * without end — printing "ok" after each save, then pausing PAUSE_MS (default 0) — until it is killed.
 */
import { syntheticTaintIndex } from '../../src/fixture/synthetic-index.js';
import { saveTaintIndex, TAINT_INDEX_SUBLEVEL } from '../../src/screen/index.js';
import { openStore } from '../../src/store/index.js';

const [dir, pauseText] = process.argv.slice(2);
const pause = Number(pauseText ?? 0);
const indexes = [1, 2].map((seed) => syntheticTaintIndex({ accounts: 2000, seed }).index);
const store = await openStore(dir);
for (let i = 0; ; i++) {
  await saveTaintIndex(store.sublevel(TAINT_INDEX_SUBLEVEL), indexes[i % 2]);
  process.stdout.write('ok\n');
  if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
}
