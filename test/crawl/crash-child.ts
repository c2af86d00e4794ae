/**
 * The crash test's deliberately broken crawler (never part of the library): the same crawl as
 * `tainttrace crawl --case`, with a store whose writeBatch lands a page's cursor in its own batch
 * before the page data — so a kill between the two loses the page. The crash test must catch it.
 *
 *   npx tsx test/crawl/crash-child.ts --node URL --db DIR --case FILE
 */
import { crawl } from '../../src/crawl/index.js';
import { loadCase } from '../../src/labels/index.js';
import { openStore, type Store, type StoreBatch } from '../../src/store/index.js';

/** `store` with the broken write path: cursors first, in their own batch, then the rest. */
export function cursorFirstStore(store: Store): Store {
  const writeBatch = async (batch: StoreBatch): Promise<void> => {
    if (!batch.cursors || batch.cursors.length === 0) return store.writeBatch(batch);
    await store.writeBatch({ cursors: batch.cursors });
    await new Promise((r) => setImmediate(r));
    await store.writeBatch({ ...batch, cursors: [] });
  };
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'writeBatch') return writeBatch;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

async function main(): Promise<void> {
  const arg = (name: string): string => {
    const i = process.argv.indexOf(`--${name}`);
    if (i < 0 || process.argv[i + 1] === undefined) throw new Error(`crash-child: --${name} is required`);
    return process.argv[i + 1];
  };
  const { caseSpec, labels } = await loadCase(arg('case'));
  const store = await openStore(arg('db'));
  try {
    await crawl({ nodes: [arg('node')], store: cursorFirstStore(store), caseSpec, labels, concurrency: 4, rate: 100_000 });
  } finally {
    await store.close();
  }
}

if (process.argv[1]?.endsWith('crash-child.ts')) {
  main().catch((err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(2);
  });
}
