/**
 * Chain order is the block's (DESIGN §4 "Order"), end to end: crawl the Coincheck scenario from the
 * fixture node, trace with the dark-web site followed (not an exit), and the site's payment of
 * 1,583,000 XEM — funded by a split account's credit earlier in the same block and the same second —
 * carries taint from that credit. In hash order (the order before positions) it ran before the credit,
 * as if paid from an implied clean opening balance.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.js';
import { startFixtureNode, type FixtureNode } from '../../src/fixture/node/index.js';
import { traceJob, type TraceJobResult } from '../../src/jobs/trace-job.js';
import { referenceTrace } from '../../src/taint/reference.js';
import { runTrace } from '../../src/taint/trace.js';
import { AMOUNT_POLICIES, POLICIES } from '../../src/taint/types.js';
import type { Transfer } from '../../src/nem/types.js';
import { fastRetry, freshStore, scenarioCase, tempRoot, type ScenarioCase } from '../crawl/helpers.js';

const root = tempRoot('tt-order-');
const PAYMENT = 1_583_000_000_000; // µXEM
let cc: ScenarioCase;
let node: FixtureNode;
let job: TraceJobResult;
let payment: Transfer;
let credit: Transfer;

beforeAll(async () => {
  cc = await scenarioCase('coincheck', root.sub('case'));
  node = await startFixtureNode({ scenario: cc.bundle.scenario });
  const store = await freshStore(root);
  await crawl({ nodes: [node.url], store, caseSpec: cc.caseSpec, labels: cc.labels, ...fastRetry() });
  // The same case with the dark-web site followed on to its buyers (README: drop `darkweb` from exitCategories).
  const followed = join(root.sub('case'), 'case-followed.json');
  writeFileSync(followed, JSON.stringify({ ...cc.bundle.caseJson, exitCategories: ['exchange'] }));
  job = await traceJob({ store, caseFile: followed });
  await store.close();
  const site = [...cc.bundle.truth.roles].find(([, role]) => role === 'darkweb')![0];
  payment = [...job.result.transfers].find((t) => t.sender === site && t.amount === PAYMENT)!;
  credit = [...job.result.transfers].find((t) => t.height === payment.height && t.recipient === site)!;
}, 300_000);
afterAll(async () => {
  await node.close();
  root.remove();
});

describe('chain order within a block', () => {
  it('the crawl recorded the block positions: the credit to the site, then its payment, in one block and one second', () => {
    expect(payment).toBeDefined();
    expect(credit).toBeDefined();
    expect(credit.timeStamp).toBe(payment.timeStamp);
    expect(credit.hash > payment.hash).toBe(true); // hash order would run the payment first
    expect([credit.position, payment.position]).toEqual([0, 1]);
    const k = [...job.result.transfers].findIndex((t) => t.hash === payment.hash);
    expect(job.result.transfers.at(k - 1)).toEqual(credit);
  });

  it('traces the payment from that credit under every policy', () => {
    for (const policy of POLICIES) {
      const carried = job.result.policies[policy]!.transferTaint.get(payment.hash) ?? 0n;
      expect(carried, policy).toBeGreaterThan(0n);
    }
    expect(job.result.policies.poison!.transferTaint.get(payment.hash)).toBe(BigInt(PAYMENT));
    expect(job.result.policies['taint-first']!.transferTaint.get(payment.hash)).toBe(BigInt(PAYMENT));
  });

  it('in hash order (no positions) the same payment carried no taint: what the positions change', () => {
    const stripped = [...job.result.transfers].map(({ position: _p, ...t }) => t);
    const old = runTrace({
      transfers: stripped,
      caseSpec: job.result.case,
      labels: job.result.labels,
      storeDigest: '',
      tipHeight: 0,
      engineVersion: 'test',
    });
    for (const policy of POLICIES) expect(old.policies[policy]!.transferTaint.get(payment.hash) ?? 0n, policy).toBe(0n);
  });

  it('the reference implementation agrees to the µXEM in block order', () => {
    const ref = referenceTrace([...job.result.transfers], job.result.case, job.result.labels);
    for (const policy of AMOUNT_POLICIES) {
      const totals = job.result.policies[policy]!.totals;
      expect(ref.policies[policy].totals, policy).toEqual(totals);
      expect(ref.policies[policy].transferTaint.get(payment.hash), policy).toBe(
        job.result.policies[policy]!.transferTaint.get(payment.hash),
      );
    }
  });
});
