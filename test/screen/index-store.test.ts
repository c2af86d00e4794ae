import {
  appendFileSync,
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { Level } from 'level';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildTaintIndex,
  loadTaintIndex,
  saveTaintIndex,
  screenDeposit,
  TaintIndex,
  TAINT_INDEX_SCHEMA,
  TAINT_INDEX_SCHEMA_V3,
  type JsonSublevel,
} from '../../src/screen/index.js';
import { isTracerError } from '../../src/errors.js';
import { syntheticTaintIndex } from '../../src/fixture/synthetic-index.js';
import { A, D, smallResult } from './fixture.js';
import { saveV3 } from './index-v3.js';
import { saveV4 } from './index-v4.js';
import { packMessages, PackedMessages, type MessageArrays } from '../../src/screen/messages.js';
import { indexDigest } from './index-digest.js';
import { lookupTables } from '../../src/screen/packed.js';

const dir = mkdtempSync(join(tmpdir(), 'tt-index-'));
const db = new Level<string, unknown>(dir, { valueEncoding: 'json' });
const sub = (name: string) => db.sublevel<string, unknown>(name, { valueEncoding: 'json' });
const _typeCheck: JsonSublevel = db.sublevel<string, unknown>('x', { valueEncoding: 'json' });
void _typeCheck;
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
/** Inverts one byte of a file in place. */
const flip = (path: string, at: number) => {
  const fd = openSync(path, 'r+');
  const b = Buffer.alloc(1);
  readSync(fd, b, 0, 1, at);
  b[0] ^= 0xff;
  writeSync(fd, b, 0, 1, at);
  closeSync(fd);
};

/** Equal indexes: the same bytes and figures (index-digest.ts), header, and transfers as objects (messages included). */
const expectSameIndex = (loaded: TaintIndex, index: TaintIndex) => {
  expect(indexDigest(loaded)).toBe(indexDigest(index));
  const head = (i: TaintIndex) => [i.manifest, i.labels, i.asOf, i.policies, i.exitCategories, i.accountCount, i.covered?.size];
  expect(head(loaded)).toEqual(head(index));
  expect([...loaded.transfers.values()]).toEqual([...index.transfers.values()]);
};

/** Loading the sublevel `name` fails with TRACE_STORE_CORRUPT, its message matching `message` (`what`: the case). */
const expectRefused = async (name: string, what: string, message: RegExp) => {
  const err = await loadTaintIndex(sub(name)).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isTracerError(err, 'TRACE_STORE_CORRUPT'), what).toBe(true);
  expect((err as Error).message, what).toMatch(message);
};

describe('saveTaintIndex / loadTaintIndex', () => {
  it('round-trips the index exactly', async () => {
    const index = buildTaintIndex(smallResult());
    await saveTaintIndex(sub('taint'), index);
    const loaded = await loadTaintIndex(sub('taint'));
    expectSameIndex(loaded, index);
    expect(screenDeposit(loaded, { from: A, amount: '12.345678' })).toEqual(screenDeposit(index, { from: A, amount: '12.345678' }));
  });
  it('replaces the previous index (no stale keys left)', async () => {
    const result = smallResult();
    const poison = result.policies.poison!; // the hand-made fixture's maps are plain Maps
    (poison.accounts as Map<string, unknown>).delete(D);
    (poison.transferTaint as Map<string, bigint>).clear();
    const smaller = buildTaintIndex(result);
    await saveTaintIndex(sub('taint'), smaller);
    const loaded = await loadTaintIndex(sub('taint'));
    expect(loaded.accounts.has(D)).toBe(false);
    expectSameIndex(loaded, smaller);
  });
  it('keeps the coverage; an index saved without it loads with none', async () => {
    const { index } = syntheticTaintIndex({ accounts: 5000, seed: 3 });
    await saveTaintIndex(sub('cov'), index);
    const loaded = await loadTaintIndex(sub('cov'));
    expect(loaded.covered!.size).toBe(4750);
    expect([...loaded.covered!]).toEqual([...index.covered!]);
    for (const [name, arr] of Object.entries(index.a))
      expect(Buffer.compare(bytes(loaded.a[name as keyof typeof index.a]), bytes(arr)), name).toBe(0);
    await saveTaintIndex(sub('old'), index.derive({ coverage: 'none' }));
    expect((await loadTaintIndex(sub('old'))).covered).toBeNull();
  });
  it('throws TRACE_STORE_EMPTY when nothing was saved, TRACE_STORE_CORRUPT on a bad record', async () => {
    await expect(loadTaintIndex(sub('empty'))).rejects.toSatisfy((e) => isTracerError(e, 'TRACE_STORE_EMPTY'));
    await saveTaintIndex(sub('bad'), buildTaintIndex(smallResult()));
    await db.sublevel<string, unknown>('bad', { valueEncoding: 'json' }).put(`a:${A}`, { p: 5 });
    await expect(loadTaintIndex(sub('bad'))).rejects.toSatisfy((e) => isTracerError(e, 'TRACE_STORE_CORRUPT'));
  });
  it('refuses @3 arrays that do not fit together before serving anything (TRACE_STORE_CORRUPT naming the problem)', async () => {
    const index = buildTaintIndex(smallResult());
    const raw = () => db.sublevel<string, Uint8Array>('lie', { valueEncoding: 'view' });
    const raw32 = (a: Int32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    const twice = (rows: Uint8Array, width: number) => {
      const copy = Buffer.from(rows);
      copy.copy(copy, width, 0, width);
      return copy;
    };
    const lies: [string, () => Promise<void>, RegExp][] = [
      ['a missing array', () => raw().del('p:flags:000000'), /flags/],
      ['a row outside the address table', () => raw().put('p:tFrom:000000', raw32(index.a.tFrom.map(() => 1_000_000))), /transfer 0/],
      ['a history running past the events', () => raw().put('p:histLen:000000', raw32(index.a.histLen.map((n) => n + 1_000))), /history/],
      ['an evidence cycle', () => raw().put('p:nodeParent:000000', raw32(index.a.nodeParent.map((_, k) => k))), /trie node/],
      ['an address twice', () => raw().put('p:addrBytes:000000', twice(index.a.addrBytes, 40)), /address row 1 repeats row 0/],
      ['a hash twice', () => raw().put('p:hashBytes:000000', twice(index.a.hashBytes, 32)), /hash row 1 repeats row 0/],
      [
        'an address row naming an account that does not name it back',
        () => raw().put('p:acct:000000', raw32(index.a.acct.map((v, r) => (v === -1 && r === index.a.acct.indexOf(-1) ? 0 : v)))),
        /address rows name an account, not/,
      ],
      [
        "two accounts' rows swapped on one side",
        () => raw().put('p:acctRow:000000', raw32(index.a.acctRow.map((v, i, all) => (i < 2 ? all[1 - i] : v)))),
        /account 0 row/,
      ],
    ];
    for (const [what, lie, message] of lies) {
      await saveV3(sub('lie'), index);
      await lie();
      await expectRefused('lie', what, message);
    }
  });
  it("stores the arrays as raw bytes (@3): each record holds its array's bytes as they are, a short or long one is refused", async () => {
    const { index } = syntheticTaintIndex({ accounts: 2000, seed: 5 });
    await saveV3(sub('raw'), index);
    const view = db.sublevel<string, Uint8Array>('raw', { valueEncoding: 'view' });
    expect(Buffer.compare(Buffer.from((await view.get('p:tFrom:000000'))!), bytes(index.a.tFrom))).toBe(0);
    expect((await db.sublevel<string, { schema: string }>('raw', { valueEncoding: 'json' }).get('meta'))!.schema).toBe(
      TAINT_INDEX_SCHEMA_V3,
    );
    const tFrom = bytes(index.a.tFrom);
    for (const [what, value, message] of [
      ['a record one byte short', tFrom.subarray(1), /tFrom is incomplete/],
      ['a record one byte long', Buffer.concat([tFrom, Buffer.from([0])]), /more bytes than the header's/],
    ] as const) {
      await saveV3(sub('raw'), index);
      await view.put('p:tFrom:000000', value);
      await expectRefused('raw', what, message);
    }
  });
  it('reads an array split over several records (as indexes saved in 4 MiB records were) into one array', async () => {
    const { index } = syntheticTaintIndex({ accounts: 2000, seed: 5 });
    await saveV3(sub('split'), index);
    const view = db.sublevel<string, Uint8Array>('split', { valueEncoding: 'view' });
    for (const name of ['taintVals', 'addrBytes', 'tFrom'] as const) {
      const whole = bytes(index.a[name]);
      const cut = Math.floor(whole.length / 3 / 8) * 8 + 4; // not at an element boundary of a Float64Array
      await view.batch([
        { type: 'put', key: `p:${name}:000000`, value: whole.subarray(0, cut) },
        { type: 'put', key: `p:${name}:000001`, value: whole.subarray(cut, 2 * cut) },
        { type: 'put', key: `p:${name}:000002`, value: whole.subarray(2 * cut) },
      ]);
    }
    const loaded = await loadTaintIndex(sub('split'));
    for (const [name, arr] of Object.entries(index.a))
      expect(Buffer.compare(bytes(loaded.a[name as keyof typeof index.a]), bytes(arr)), name).toBe(0);
  });
  it('keeps the arrays in one file beside the store: one small record names it, nothing in the log for a snapshot to replay', async () => {
    const own = mkdtempSync(join(tmpdir(), 'tt-index-log-'));
    const level = new Level<string, unknown>(own, { valueEncoding: 'json' });
    const { index } = syntheticTaintIndex({ accounts: 3000, seed: 6 });
    const sublevel = level.sublevel<string, unknown>('taint-index', { valueEncoding: 'json' });
    await saveTaintIndex(sublevel, index);
    expect(await sublevel.keys().all()).toEqual(['meta']);
    expect(await sublevel.get('meta')).toMatchObject({ schema: TAINT_INDEX_SCHEMA, file: 'taint-index.000001.tti', generation: 1 });
    await level.close();
    const size = (re: RegExp) =>
      readdirSync(own)
        .filter((f) => re.test(f))
        .reduce((sum, f) => sum + statSync(join(own, f)).size, 0);
    const arrays = Object.values(index.a).reduce((sum, a) => sum + a.byteLength, 0);
    expect(size(/\.(log|ldb|sst)$/)).toBeLessThan(arrays / 100);
    expect(size(/^taint-index\.000001\.tti$/)).toBeGreaterThan(arrays / 2);
    rmSync(own, { recursive: true, force: true });
  });
  it('refuses a file that is not what its record says (TRACE_STORE_CORRUPT, nothing served)', async () => {
    const { index } = syntheticTaintIndex({ accounts: 2000, seed: 8 });
    const other = buildTaintIndex(smallResult());
    const fileOf = async (name: string) => join(dir, ((await sub(name).get('meta')) as { file: string }).file);
    await saveTaintIndex(sub('other'), other);
    const damages: [string, (path: string) => void, RegExp][] = [
      ['a flipped byte among the arrays', (f) => flip(f, Math.floor(statSync(f).size / 2)), /CRC-32/],
      ['a flipped byte in the header', (f) => flip(f, 40), /CRC-32|header/],
      ['a file one byte short', (f) => truncateSync(f, statSync(f).size - 1), /is \d+ bytes, its record says/],
      ['a file one byte long', (f) => appendFileSync(f, Buffer.from([0])), /is \d+ bytes, its record says/],
      ['no file', (f) => rmSync(f), /missing/],
      ['another index in its place', () => undefined, /is \d+ bytes, its record says|CRC-32/],
    ];
    for (const [what, damage, message] of damages) {
      await saveTaintIndex(sub('damaged'), index);
      const file = await fileOf('damaged');
      if (what.startsWith('another')) copyFileSync(await fileOf('other'), file);
      else damage(file);
      await expectRefused('damaged', what, message);
    }
  });
  it('refuses @4 arrays that do not fit together, as a writer that lies would save them (the CRC-32 agrees)', async () => {
    const index = buildTaintIndex(smallResult());
    const lying = (changes: Partial<typeof index.a>) =>
      new TaintIndex(
        { ...index, hasCoverage: index.covered !== null },
        {
          arrays: { ...index.a, ...changes },
          ...index.extras(),
          messages: [...index.extras().messages],
          big: new Map(),
          accounts: index.accountCount,
          transfers: index.transferCount,
        },
      );
    const twice = (rows: Uint8Array, width: number) => {
      const copy = new Uint8Array(rows);
      copy.copyWithin(width, 0, width);
      return copy;
    };
    const lies: [string, TaintIndex, RegExp][] = [
      ['a row outside the address table', lying({ tFrom: index.a.tFrom.map(() => 1_000_000) }), /transfer 0/],
      ['a history running past the events', lying({ histLen: index.a.histLen.map((n) => n + 1_000) }), /history/],
      ['an evidence cycle', lying({ nodeParent: index.a.nodeParent.map((_, k) => k) }), /trie node/],
      ['an address twice', lying({ addrBytes: twice(index.a.addrBytes, 40) }), /address row 1 repeats row 0/],
      ['an array of another type', lying({ hops: new Float64Array(index.a.hops) as never }), /hops/],
      // amounts: µXEM whole numbers within the safe range, or NaN with the exact value kept beside (none here)
      ['a fraction of a µXEM', lying({ received: index.a.received.map((v, i) => (i === 1 ? 0.5 : v)) }), /amount received\[1\]/],
      ['an amount past the safe range', lying({ tAmount: index.a.tAmount.map((v, i) => (i === 0 ? 2 ** 53 : v)) }), /amount tAmount\[0\]/],
      ['a NaN amount with no exact value', lying({ held: index.a.held.map((v, i) => (i === 0 ? NaN : v)) }), /amount held\[0\]/],
      ['an infinite amount', lying({ tFee: index.a.tFee.map((v, i) => (i === 0 ? -Infinity : v)) }), /amount tFee\[0\]/],
      [
        'fractions that cancel out in a sum',
        lying({ balance: index.a.balance.map((v, i) => (i === 0 ? 0.25 : i === 1 ? -0.25 : v)) }),
        /amount balance\[0\]/,
      ],
    ];
    expect(index.a.received.length).toBeGreaterThan(1);
    for (const [what, liar, message] of lies) {
      await saveTaintIndex(sub('lie4'), liar);
      await expectRefused('lie4', what, message);
    }
    await saveTaintIndex(sub('lie4'), index);
    await sub('lie4').put('p:tFrom:000000', 'a record no save writes beside a file');
    await expect(loadTaintIndex(sub('lie4'))).rejects.toThrow(/beside an index file/);
  });
  it('refuses a header whose arrays run past the end of the file, before allocating them (the CRC-32 agrees)', async () => {
    const index = buildTaintIndex(smallResult());
    await saveTaintIndex(sub('long'), index);
    const meta = (await sub('long').get('meta')) as { file: string; bytes: number; crc32: number };
    const path = join(dir, meta.file);
    const text = readFileSync(path);
    const head = JSON.parse(text.subarray(16, 16 + text.readUInt32LE(8)).toString('utf8')) as { arrays: [string, string, number][] };
    head.arrays[0][2] = 2 ** 40; // a terabyte of addresses
    const json = Buffer.from(JSON.stringify(head), 'utf8');
    const prefix = Buffer.alloc(16);
    prefix.write('tt-idx@5', 'latin1');
    prefix.writeUInt32LE(json.length, 8);
    const lie = Buffer.concat([prefix, json, Buffer.alloc((8 - ((16 + json.length) % 8)) % 8)]);
    writeFileSync(path, lie);
    await sub('long').put('meta', { ...meta, bytes: lie.length, crc32: crc32(lie) >>> 0 });
    await expect(loadTaintIndex(sub('long'))).rejects.toSatisfy(
      (e) => isTracerError(e, 'TRACE_STORE_CORRUPT') && /array addrBytes runs past the end/.test((e as Error).message),
    );
  });
  it('keeps the messages packed (@5): null, empty, multi-byte and long ones read back exactly', async () => {
    const { index } = syntheticTaintIndex({ accounts: 3000, seed: 12 });
    const list = index.extras().messages.map((m, r) => (r % 5 === 0 ? null : r % 5 === 1 ? '' : r % 5 === 2 ? `ü€😀 ${r}` : m));
    list[7] = 'x'.repeat(100_000);
    const withMessages = new TaintIndex(
      { ...index, hasCoverage: true },
      { arrays: index.a, messages: list, big: new Map(), accounts: index.accountCount, transfers: index.transferCount },
    );
    await saveTaintIndex(sub('messages'), withMessages);
    const loaded = await loadTaintIndex(sub('messages'));
    expect(loaded.extras().messages).toEqual(list);
    for (const r of [0, 1, 2, 7, index.transferCount - 1]) expect(loaded.transfer(r).message).toBe(list[r]);
    expectSameIndex(loaded, withMessages);
  });
  it('refuses packed messages that cannot be read (@5: TRACE_STORE_CORRUPT naming the problem; the CRC-32 agrees)', async () => {
    const index = buildTaintIndex(smallResult());
    const T = index.transferCount;
    const good = packMessages(Array.from({ length: T }, (_, r) => `message ${r} ü`));
    const lying = (changes: Partial<MessageArrays>) =>
      new TaintIndex(
        { ...index, hasCoverage: index.covered !== null },
        {
          arrays: index.a,
          messages: new PackedMessages({ ...good, ...changes }, T),
          big: new Map(),
          accounts: index.accountCount,
          transfers: T,
        },
      );
    expect(T).toBeGreaterThan(2);
    const lies: [string, TaintIndex, RegExp][] = [
      ['rows out of order', lying({ msgRows: good.msgRows.map((r, k) => (k === 1 ? 0 : r)) }), /message 1 row/],
      ['a row past the transfers', lying({ msgRows: good.msgRows.map((r, k) => (k === T - 1 ? T : r)) }), /message \d+ row/],
      ['an end before the one before', lying({ msgEnd: good.msgEnd.map((e, k) => (k === 1 ? 0 : e)) }), /message 1 end/],
      ['an end past the bytes', lying({ msgEnd: good.msgEnd.map((e, k) => (k === T - 1 ? e + 1 : e)) }), /message \d+ end/],
      ['fewer ends than rows', lying({ msgEnd: good.msgEnd.subarray(1) }), /rows and ends differ/],
      ['bytes no message holds', lying({ msgBytes: new Uint8Array([...good.msgBytes, 65]) }), /message bytes length/],
      ['a message ending inside a character', lying({ msgEnd: good.msgEnd.map((e, k) => (k === 0 ? e - 1 : e)) }), /inside a character/],
      ['bytes that are not UTF-8', lying({ msgBytes: good.msgBytes.map((b, i) => (i === 0 ? 0xff : b)) }), /not UTF-8/],
    ];
    for (const [what, liar, message] of lies) {
      await saveTaintIndex(sub('lie5'), liar);
      await expectRefused('lie5', what, message);
    }
  });
  it('still reads an index file in layout @4 (the messages as JSON after the arrays); the next save writes @5', async () => {
    const { index } = syntheticTaintIndex({ accounts: 2000, seed: 13 });
    await saveV4(sub('v4'), index);
    expect(readFileSync(join(dir, 'v4.000001.tti')).subarray(0, 8).toString('latin1')).toBe('tt-idx@4');
    expectSameIndex(await loadTaintIndex(sub('v4')), index);
    await saveTaintIndex(sub('v4'), index);
    expect(await sub('v4').get('meta')).toMatchObject({ schema: TAINT_INDEX_SCHEMA, file: 'v4.000002.tti' });
    expect(readFileSync(join(dir, 'v4.000002.tti')).subarray(0, 8).toString('latin1')).toBe('tt-idx@5');
    expectSameIndex(await loadTaintIndex(sub('v4')), index);
  });
  it('builds the same lookup tables from rows anywhere in memory (word reads at a multiple of 4, byte reads elsewhere)', () => {
    const { index } = syntheticTaintIndex({ accounts: 3000, seed: 11 });
    const shifted = (rows: Uint8Array) => new Uint8Array(Buffer.concat([Buffer.alloc(1), rows]).buffer, 1, rows.length);
    const aligned = lookupTables(index.a.addrBytes, index.a.hashBytes);
    const unaligned = lookupTables(shifted(index.a.addrBytes), shifted(index.a.hashBytes));
    expect(shifted(index.a.addrBytes).byteOffset % 4).toBe(1);
    expect(typeof aligned).toBe('object');
    expect(unaligned).toEqual(aligned);
    expect(aligned).toEqual({ addrTable: index.a.addrTable, hashTable: index.a.hashTable });
  });
  it("replaces the file (the one before kept until the next save), deletes an older layout's records and a killed writer's", async () => {
    const { index } = syntheticTaintIndex({ accounts: 1500, seed: 9 });
    const smaller = buildTaintIndex(smallResult());
    await saveV3(sub('switch'), index);
    expect((await loadTaintIndex(sub('switch'))).accountCount).toBe(index.accountCount);
    await saveTaintIndex(sub('switch'), smaller);
    expect(await sub('switch').keys().all()).toEqual(['meta']);
    expectSameIndex(await loadTaintIndex(sub('switch')), smaller);
    const files = () => readdirSync(dir).filter((f) => f.startsWith('switch.'));
    expect(files()).toEqual(['switch.000001.tti']);
    writeFileSync(join(dir, 'switch.000002.tti.partial'), 'a save killed while writing');
    writeFileSync(join(dir, 'switch.000007.tti'), 'a save killed before its record was switched');
    await saveTaintIndex(sub('switch'), index);
    expect(files().sort()).toEqual(['switch.000001.tti', 'switch.000002.tti']);
    await saveTaintIndex(sub('switch'), smaller);
    await saveTaintIndex(sub('switch'), index);
    expect(files().sort()).toEqual(['switch.000003.tti', 'switch.000004.tti']);
    const loaded = await loadTaintIndex(sub('switch'));
    for (const [name, arr] of Object.entries(index.a))
      expect(Buffer.compare(bytes(loaded.a[name as keyof typeof index.a]), bytes(arr)), name).toBe(0);
    expect(loaded.extras()).toEqual(index.extras());
  });
  it('still reads an index stored in layout @2 (the arrays as base64 JSON text)', async () => {
    const { index } = syntheticTaintIndex({ accounts: 3000, seed: 4 });
    await saveV3(sub('v2'), index);
    const json = db.sublevel<string, unknown>('v2', { valueEncoding: 'json' });
    const view = db.sublevel<string, Uint8Array>('v2', { valueEncoding: 'view' });
    const ops: { type: 'put'; key: string; value: unknown }[] = [];
    for await (const [key, value] of view.iterator())
      if (key.startsWith('p:')) ops.push({ type: 'put', key, value: Buffer.from(value).toString('base64') });
    const meta = (await json.get('meta')) as Record<string, unknown>;
    ops.push({ type: 'put', key: 'meta', value: { ...meta, schema: 'tainttrace/taint-index@2' } });
    await json.batch(ops);
    const loaded = await loadTaintIndex(sub('v2'));
    for (const [name, arr] of Object.entries(index.a))
      expect(Buffer.compare(bytes(loaded.a[name as keyof typeof index.a]), bytes(arr)), name).toBe(0);
    expect([...loaded.transfers.values()]).toEqual([...index.transfers.values()]);
  });
  it('still reads an index stored in layout @1 (one JSON record per account)', async () => {
    const index = buildTaintIndex(smallResult());
    const v1 = db.sublevel<string, unknown>('v1', { valueEncoding: 'json' });
    const ops: { type: 'put'; key: string; value: unknown }[] = [];
    for (const [address, a] of index.accounts) {
      const p: Record<string, unknown> = {};
      for (const [policy, e] of Object.entries(a.policies)) {
        p[policy] = {
          x: e.isExit,
          h: e.hops,
          r: String(e.received),
          held: String(e.held),
          b: String(e.balance),
          f: e.firstTaintedAt,
          e: e.evidence,
          ht: [...e.historyTime],
          hh: [...e.historyHeight],
          hb: [...e.historyBalance].map(String),
          hx: [...e.historyTainted].map(String),
        };
      }
      ops.push({ type: 'put', key: `a:${address}`, value: { p, exits: a.exits } });
    }
    for (const t of index.transfers.values()) {
      const taint = Object.fromEntries(Object.entries(t.taint).map(([k, v]) => [k, String(v)]));
      ops.push({
        type: 'put',
        key: `t:${t.hash}`,
        value: {
          from: t.from,
          to: t.to,
          height: t.height,
          ts: t.timeStamp,
          amount: String(t.amount),
          fee: String(t.fee),
          message: t.message,
          taint,
        },
      });
    }
    const covered = [...index.covered!].sort();
    ops.push({ type: 'put', key: 'c:000000', value: covered });
    ops.push({
      type: 'put',
      key: 'meta',
      value: {
        schema: 'tainttrace/taint-index@1',
        manifest: index.manifest,
        policies: index.policies,
        exitCategories: index.exitCategories,
        asOf: index.asOf,
        labels: [...index.labels.values()],
        accounts: index.accounts.size,
        transfers: index.transfers.size,
        covered: covered.length,
      },
    });
    await v1.batch(ops);
    const loaded = await loadTaintIndex(sub('v1'));
    for (const a of [A, D]) expect(loaded.accounts.get(a)).toEqual(index.accounts.get(a));
    const byHash = (list: Iterable<{ hash: string }>) => [...list].sort((x, y) => (x.hash < y.hash ? -1 : 1));
    expect(byHash(loaded.transfers.values())).toEqual(byHash(index.transfers.values())); // @1 kept them in hash order
    expect(new Set(loaded.covered)).toEqual(new Set(index.covered));
    expect(screenDeposit(loaded, { from: A, amount: '12.345678' })).toEqual(screenDeposit(index, { from: A, amount: '12.345678' }));
  });
});
