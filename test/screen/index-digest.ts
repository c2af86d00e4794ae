/** A digest of a packed taint index's bytes (its arrays, extras and figures): equal digests, equal indexes. */
import { createHash } from 'node:crypto';
import type { TaintIndex } from '../../src/screen/index.js';

export function indexDigest(index: TaintIndex): string {
  const h = createHash('sha256');
  for (const [name, arr] of Object.entries(index.a)) {
    if (name === 'addrTable' || name === 'hashTable') continue; // lookup tables: rebuilt from the rows at load, never stored
    h.update(name);
    h.update(Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength));
  }
  const { messages, big } = index.extras();
  h.update(JSON.stringify(messages));
  h.update(JSON.stringify([...big].map(([k, v]) => [k, v.toString()])));
  h.update(JSON.stringify({ policies: index.policies, exits: index.exitCategories, asOf: index.asOf, n: index.accountCount }));
  h.update(JSON.stringify({ transfers: index.transferCount, covered: index.covered === null }));
  return h.digest('hex');
}
