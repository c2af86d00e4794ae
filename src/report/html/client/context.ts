/**
 * What every chart of the report page shares: the embedded data, the view state (policy, hop filter,
 * context nodes, selection), name and colour lookups, and the page's actions (bound by main.ts).
 */
import type { GraphNode, HtmlData } from '../data.js';
import { short } from './format.js';

export const data = JSON.parse(document.getElementById('tainttrace-data')?.textContent ?? 'null') as HtmlData;

export const state = {
  policy: data.policies.includes('haircut') ? 'haircut' : data.policies[0],
  maxHop: Infinity,
  context: true,
  selected: null as string | null,
  /** The taint path picked in the panel (index into the selected node's paths), or null: all of them. */
  path: null as number | null,
};

export const nodesById = new Map<string, GraphNode>(data.graph.nodes.map((n) => [n.id, n]));
export const nameOf = (a: string): string => nodesById.get(a)?.label || short(a);
export const colorOf = (cat: string, tainted = true): string => (cat ? (data.colors[cat] ?? '#a16207') : tainted ? '#818cf8' : '#cbd5e1');

/** Page actions the charts call back into (main.ts binds them). */
export const actions = {
  select: (_id: string | null): void => undefined,
  /** Highlight one of the selected node's taint paths (null: all). */
  pickPath: (_index: number | null): void => undefined,
};

/** The test hook, `window.__tainttrace`. */
export interface TestHook extends Record<string, unknown> {
  ready: boolean;
  selected?: string | null;
  drawnNodes?: number;
  /** The drawn links the highlighted taint paths run along (`from>to`, sorted). */
  pathEdges?: string[];
}
export const hook = (): TestHook => (window as unknown as { __tainttrace: TestHook }).__tainttrace;
