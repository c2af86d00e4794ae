/**
 * The writer of layout @3 as it was (src/screen/index-store.ts before @4): the packed arrays as raw-byte records
 * `p:<array>:<NNNNNN>`, the messages as JSON records `m:<NNNNNN>`, the header `meta`, in one batch. The store no longer
 * writes it; tests use it to make the indexes saved before, which must still load.
 */
import { TAINT_INDEX_SCHEMA_V3, type JsonSublevel, type TaintIndex } from '../../src/screen/index.js';
import { storedHeader } from '../../src/screen/index-store.js';

const seq = (i: number) => String(i).padStart(6, '0');

export async function saveV3(sublevel: JsonSublevel, index: TaintIndex, chunkBytes = 256 * 1024 * 1024): Promise<void> {
  const ops: Parameters<JsonSublevel['batch']>[0] = [];
  for await (const key of sublevel.keys()) ops.push({ type: 'del', key });
  const arrays: Record<string, [string, number]> = {};
  for (const [name, arr] of Object.entries(index.a)) {
    if (name === 'addrTable' || name === 'hashTable') continue;
    arrays[name] = [arr.constructor.name, arr.byteLength];
    const bytes = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
    for (let i = 0; i * chunkBytes < bytes.length; i++)
      ops.push({
        type: 'put',
        key: `p:${name}:${seq(i)}`,
        value: bytes.subarray(i * chunkBytes, (i + 1) * chunkBytes),
        valueEncoding: 'view',
      });
  }
  const { messages } = index.extras();
  for (let i = 0; i * 65_536 < messages.length; i++)
    ops.push({ type: 'put', key: `m:${seq(i)}`, value: messages.slice(i * 65_536, (i + 1) * 65_536) });
  ops.push({ type: 'put', key: 'meta', value: { ...storedHeader(index), schema: TAINT_INDEX_SCHEMA_V3, arrays } });
  await sublevel.batch(ops);
}
