/**
 * The store's transfer list (src/store/transfer-list.ts) over a stored chain: what reading every row's fields costs
 * without a Transfer object (`rowFields(list).messageAt(k)` etc.: segment views) against the same fields read from
 * `at(k)`'s objects (the baseline, same run, same list type made afresh) — wall and CPU seconds, and the heap each
 * list still holds afterwards (after a forced GC: its caches, what a trace job carries until it ends).
 *
 *   npx tsx --expose-gc bench/transfer-list.bench.ts [--dir /work/tmp/s1000000/store]
 *
 * Opens the store read-only (a store trace-phases.bench.ts built: run under the same lock as the others' 1M runs).
 */
import { openStore } from '../src/store/index.js';
import { rowFields } from '../src/nem/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const dir = flag('dir', '/work/tmp/s1000000/store');
const MiB = 1048576;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc (npx tsx --expose-gc …)');

const heap = (): number => {
  gc();
  return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
};

/** Time `fn`; the heap it leaves behind (after GC) beyond `base`. */
function timed(name: string, base: number, fn: () => number): string {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const x = fn();
  const c = process.cpuUsage(c0);
  const kept = (heap() - base) / MiB;
  const wall = ((performance.now() - w0) / 1000).toFixed(2);
  const cpu = ((c.user + c.system) / 1e6).toFixed(2);
  return `${name.padEnd(44)} ${wall.padStart(7)} ${cpu.padStart(7)} ${kept.toFixed(0).padStart(9)}   (${x})`;
}

const store = await openStore(dir, { readOnly: true });
const rows: string[] = [];
const { transfers: byFields } = await store.loadTransferTable();
let base: number;
rows.push(`rows ${byFields.length}, packed d values ${(byFields.packedBytes / MiB).toFixed(0)} MiB`);
base = heap();
rows.push(
  timed('fields: message, innerHash, type, time', base, () => {
    const f = rowFields(byFields);
    let x = 0;
    for (let k = 0; k < byFields.length; k++) {
      x += (f.messageAt(k)?.length ?? 0) + (f.innerHashAt(k)?.length ?? 0) + f.typeAt(k) + f.timeAt(k).length;
    }
    return x;
  }),
);
rows.push(`  views made ${byFields.viewsMade}, objects decoded ${byFields.decodes}`);
const { transfers: byObjects } = await store.loadTransferTable();
base = heap();
rows.push(
  timed('objects: the same fields of at(k)', base, () => {
    let x = 0;
    for (let k = 0; k < byObjects.length; k++) {
      const t = byObjects.at(k)!;
      x += (t.message?.length ?? 0) + (t.innerHash?.length ?? 0) + t.type + t.time.length;
    }
    return x;
  }),
);
rows.push(`  segments decoded into objects ${byObjects.decodes}`);
await store.close();
const head = `transfer list over ${dir}\nstep                                          wall s   cpu s  kept MiB`;
process.stdout.write(`${head}\n${rows.join('\n')}\n`);
