/**
 * SignatureVerifier (worker threads + bounded cache) and verifyItems (the whole check of a list of
 * items, as `import` and the crawler use it).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { isTracerError } from '../../src/errors.js';
import { generateTinyScenario } from '../../src/fixture/coincheck/index.js';
import { forgeRecipient, foreignKey } from '../../src/fixture/node/lies.js';
import { buildNodeIndex } from '../../src/fixture/node/index.js';
import { SignatureVerifier, verifyItems } from '../../src/nem/verify-pool.js';
import { checkTransactionPair, type SignedPart } from '../../src/nem/verify.js';

const tiny = generateTinyScenario();
const items = buildNodeIndex(tiny.scenario, 0).items.map((s) => JSON.parse(s));
const parts: SignedPart[] = items.flatMap((raw) => checkTransactionPair(raw).parts);
const forged = forgeRecipient(
  items.find((i) => i.transaction.type === 257),
  foreignKey('pool').address,
);
const bad = checkTransactionPair(forged).parts[0];
const pool = new SignatureVerifier({ workers: 2 });
afterAll(() => pool.close());

describe('SignatureVerifier', () => {
  it('answers per part on worker threads as inline verification does', async () => {
    const mixed = [...parts.slice(0, 5), bad, ...parts.slice(5)];
    const inline = await new SignatureVerifier({ workers: 0 }).verify(mixed);
    expect(inline.filter((ok) => !ok)).toHaveLength(1);
    expect(inline[5]).toBe(false);
    expect(await pool.verify(mixed)).toEqual(inline);
  });

  it('verifies each signature once: repeats in a call and in later calls come from the cache', async () => {
    const v = new SignatureVerifier({ workers: 0 });
    await v.verify([...parts, ...parts]);
    expect(v.checked).toBe(parts.length);
    await v.verify(parts);
    expect(v.checked).toBe(parts.length);
    expect(v.cached).toBe(parts.length);
  });

  it('never caches a failure, and forgets the least recently used beyond cacheSize', async () => {
    const v = new SignatureVerifier({ workers: 0, cacheSize: 2 });
    await v.verify([bad, bad]);
    await v.verify([bad]);
    expect(v.checked).toBe(2);
    await v.verify(parts.slice(0, 3));
    await v.verify([parts[0]]); // forgotten (the cache holds parts 1 and 2)
    expect(v.checked).toBe(6);
    await v.verify([parts[2]]);
    expect(v.checked).toBe(6);
  });

  it('firstBad names the item and the signature', async () => {
    expect(await pool.firstBad([parts.slice(0, 2), [bad]])).toEqual({
      index: 1,
      reason: expect.stringMatching(/^transaction\.signature does not verify/),
    });
    expect(await pool.firstBad([parts.slice(0, 2)])).toBeNull();
  });

  it('lets the process exit with workers idle (one signature on a pool of four, never closed)', () => {
    const script = `
      import { generateTinyScenario } from './src/fixture/coincheck/index.ts';
      import { buildNodeIndex } from './src/fixture/node/index.ts';
      import { SignatureVerifier } from './src/nem/verify-pool.ts';
      import { checkTransactionPair } from './src/nem/verify.ts';
      const items = buildNodeIndex(generateTinyScenario().scenario, 0).items.map((s) => JSON.parse(s));
      const part = items.flatMap((raw) => checkTransactionPair(raw).parts)[0];
      const ok = await new SignatureVerifier({ workers: 4 }).verify([part]);
      console.log('verified', ok.join());`;
    // a process kept alive by an idle worker never exits: stop it well inside the test's time and fail
    const run = () =>
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 45_000 });
    expect(run().trim()).toBe('verified true');
  }, 60_000);
});

describe('verifyItems', () => {
  it('returns every honest item normalised, in order', async () => {
    const out = await verifyItems(items, { verifier: pool });
    expect(out.map((n) => (n.kind === 'transfer' ? n.transfer.hash : n.other.hash))).toEqual(items.map((i) => i.meta.hash.data));
  });

  it('rejects a list holding one forged item, naming its index', async () => {
    const list = [...items.slice(0, 3), forged, ...items.slice(3)];
    const err = await verifyItems(list, { where: 'dump.ndjson', verifier: pool }).catch((e) => e);
    expect(isTracerError(err, 'TRACE_MALFORMED_RESPONSE')).toBe(true);
    expect(err.details.index).toBe(3);
    expect(err.message).toMatch(/^dump\.ndjson\[3\]: transaction\.signature does not verify/);
    const broken = await verifyItems([items[0], { meta: 1 }], { verifier: pool }).catch((e) => e);
    expect(broken.details.index).toBe(1);
  });
});
