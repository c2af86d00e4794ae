/**
 * The writer of layout @4 as it was (src/screen/index-file.ts before @5): one file `<name>.<NNNNNN>.tti` — "tt-idx@4",
 * the header's length, the header, the arrays each padded to 8 bytes, then the messages as one JSON array — and the
 * record `meta` naming it with its length and CRC-32. The store no longer writes it; tests use it to make the indexes
 * saved before, which must still load.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { TAINT_INDEX_SCHEMA_V4, type JsonSublevel, type TaintIndex } from '../../src/screen/index.js';
import { storedHeader } from '../../src/screen/index-store.js';

const pad = (n: number) => Buffer.alloc((8 - (n % 8)) % 8);

export async function saveV4(sublevel: JsonSublevel, index: TaintIndex): Promise<void> {
  const dir = (sublevel.db as { location: string }).location;
  const name = sublevel.prefix!.replace(/^!|!$/g, '');
  const arrays = Object.entries(index.a).filter(([n]) => n !== 'addrTable' && n !== 'hashTable');
  const head = Buffer.from(
    JSON.stringify({
      ...storedHeader(index),
      schema: TAINT_INDEX_SCHEMA_V4,
      arrays: arrays.map(([n, a]) => [n, a.constructor.name, a.byteLength]),
    }),
  );
  const prefix = Buffer.alloc(16);
  prefix.write('tt-idx@4', 'latin1');
  prefix.writeUInt32LE(head.length, 8);
  const parts = [prefix, head, pad(16 + head.length)];
  for (const [, a] of arrays) parts.push(Buffer.from(a.buffer, a.byteOffset, a.byteLength), pad(a.byteLength));
  parts.push(Buffer.from(JSON.stringify(index.extras().messages)));
  const file = Buffer.concat(parts);
  const fileName = `${name}.000001.tti`;
  writeFileSync(join(dir, fileName), file);
  const ops: Parameters<JsonSublevel['batch']>[0] = [];
  for await (const key of sublevel.keys()) ops.push({ type: 'del', key });
  const meta = { schema: TAINT_INDEX_SCHEMA_V4, file: fileName, generation: 1, bytes: file.length, crc32: crc32(file) >>> 0 };
  ops.push({ type: 'put', key: 'meta', value: meta });
  await sublevel.batch(ops);
}
