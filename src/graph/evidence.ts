/**
 * evidencePath: the chain of transfers that first brought taint to an account under a policy,
 * seed transfer first (what a screened deposit cites). Empty when the account holds no taint record.
 */
import type { EvidenceStep, TraceResult } from '../taint/index.js';
import type { Policy } from '../domain.js';

export function evidencePath(result: TraceResult, policy: Policy, address: string): EvidenceStep[] {
  return [...(result.policies[policy]?.accounts.get(address)?.evidence ?? [])];
}
