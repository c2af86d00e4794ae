/**
 * The traced subgraph as graphology, and evidence paths.
 */
export { buildTraceGraph, type TraceGraph, type TraceNodeAttributes, type TraceEdgeAttributes, type NodePolicyTaint } from './build.js';
export { evidencePath } from './evidence.js';
