/**
 * The Coincheck scenario for exposure tests: its transfers and labels, and a store holding the
 * whole generated chain (as an import of a dump would) with the scenario's labels.
 */
import { scenarioTransfers } from '../../src/fixture/expected-crawl.js';
import { loadScenarioBundle } from '../../src/fixture/scenarios.js';
import { parseLabels } from '../../src/labels/tagpack.js';
import type { Transfer } from '../../src/nem/types.js';
import { openStore, type Store } from '../../src/store/index.js';

export const bundle = loadScenarioBundle('coincheck');
export const labels = parseLabels(bundle.labelsYaml, 'labels.yaml');
export const transfers: Transfer[] = scenarioTransfers(bundle.scenario).map((x) => x.transfer);
export const roles = bundle.truth.roles;
export const byLabel = (prefix: string): string => [...labels.values()].find((l) => l.label.startsWith(prefix))!.address;

export async function scenarioStore(dir: string): Promise<Store> {
  const store = await openStore(dir);
  await store.writeBatch({ transfers });
  await store.putLabels(labels.values());
  return store;
}

/** The first transfer (in chain order) matching `pick`. */
export function firstTransfer(pick: (t: Transfer) => boolean): Transfer {
  const t = transfers.find(pick);
  if (!t) throw new Error('the scenario has no such transfer');
  return t;
}
