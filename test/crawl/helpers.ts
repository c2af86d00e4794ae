/**
 * Shared setup for crawler tests: a scenario's case and labels written to a temp dir and loaded the
 * way the CLI loads them, the reference `expectedCrawl`, fresh stores, and a fast retry config
 * (seeded jitter, sleeps of at most 1 ms) so fault tests take no wall-clock time to speak of.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectedCrawl, type ExpectedCrawl } from '../../src/fixture/expected-crawl.js';
import { loadScenarioBundle } from '../../src/fixture/scenarios.js';
import type { CoincheckScenario } from '../../src/fixture/coincheck/index.js';
import { mulberry32 } from '../../src/fixture/synthetic.js';
import { loadCase } from '../../src/labels/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { Label, ResolvedCase } from '../../src/taint/types.js';

export interface ScenarioCase {
  bundle: CoincheckScenario;
  caseFile: string;
  caseSpec: ResolvedCase;
  labels: Map<string, Label>;
  expected: ExpectedCrawl;
}

export function tempRoot(prefix: string): { dir: string; sub(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, sub: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function scenarioCase(name: 'coincheck' | 'tiny', dir: string): Promise<ScenarioCase> {
  const bundle = loadScenarioBundle(name);
  mkdirSync(dir, { recursive: true });
  const caseFile = join(dir, 'case.json');
  writeFileSync(caseFile, JSON.stringify(bundle.caseJson, null, 2));
  writeFileSync(join(dir, 'labels.yaml'), bundle.labelsYaml);
  const { caseSpec, labels } = await loadCase(caseFile);
  const exits = new Set([...labels.values()].filter((l) => caseSpec.exitCategories.includes(l.category)).map((l) => l.address));
  const expected = expectedCrawl(bundle.scenario, { seeds: caseSpec.seeds, exits, maxHops: caseSpec.maxHops, windowTo: caseSpec.windowTo });
  return { bundle, caseFile, caseSpec, labels, expected };
}

let storeN = 0;
export function freshStore(root: { sub(name: string): string }): Promise<Store> {
  return openStore(root.sub(`store-${storeN++}`));
}

/** Retry fast: seeded jitter, real but tiny sleeps (Retry-After: 1 s from the node is scaled to 1 ms). */
export function fastRetry(seed = 1) {
  return {
    retry: { baseMs: 1, maxMs: 4 },
    rng: mulberry32(seed),
    sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, Math.min(ms, 1))),
    rate: 100_000,
  };
}

export async function storedHashes(store: Store): Promise<Set<string>> {
  return new Set((await store.loadTransfers()).map((t) => t.hash));
}
