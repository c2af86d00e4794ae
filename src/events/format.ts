/** One line per event for a terminal (follow, demo --live): what fired, where, how much, when. */
import type { TaintEvent } from './types.js';

export function formatEvent(e: TaintEvent): string {
  const head = `#${e.seq} ${e.type.padEnd(18)} h${e.height}${e.final ? '' : '*'} ${e.at.slice(0, 19).replace('T', ' ')}`;
  const tx = e.transfer ? ` tx ${e.transfer.slice(0, 12)}…` : '';
  switch (e.type) {
    case 'exit.reached':
      return (
        `${head}  ${e.exit?.label} [${e.exit?.category}]${e.exit?.memo ? ` memo ${JSON.stringify(e.exit.memo)}` : ''} ` +
        ` ${e.policy} ${e.amount} XEM${tx}`
      );
    case 'account.tainted':
      return `${head}  ${e.account}  ${Object.entries(e.amounts ?? {})
        .map(([p, a]) => `${p} ${a}`)
        .join(', ')}${tx}`;
    case 'watch.moved':
    case 'watch.drained':
      return `${head}  ${e.watch?.label ?? e.account} sent ${e.amount} XEM${
        e.type === 'watch.drained' ? ' within its window — DRAINED' : ''
      }${tx}`;
    case 'transfer.retracted':
      return `${head}  a fork removed ${e.amount} XEM from ${e.account}${tx}`;
    case 'index.updated':
      return `${head}  ${e.index?.accounts} tainted accounts, ${e.index?.transfers} tainted transfers, ${e.index?.provisional} provisional`;
  }
}
