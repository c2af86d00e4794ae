/**
 * The traced subgraph as graphology, and evidence paths.
 */
export {
  buildTraceGraph,
  tracedAccounts,
  tracedAddresses,
  type TraceGraph,
  type TraceNodeAttributes,
  type TraceEdgeAttributes,
  type NodePolicyTaint,
} from './build.js';
export { addressOrder } from './address-order.js';
export { evidencePath } from './evidence.js';
export { traceGraph, type GraphTraceOptions } from './trace-graph.js';
export { graphTransfers, type TransferEdgeAttributes, type TransferGraph } from './project.js';
export {
  taintedPaths,
  pathFinder,
  policyPathFinder,
  seedIndices,
  PATHS_DEFAULTS,
  type PathFinder,
  type PathHop,
  type TaintedPathsOptions,
} from './paths.js';
