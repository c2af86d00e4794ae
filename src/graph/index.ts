/**
 * The traced subgraph as graphology, and evidence paths.
 */
export { buildTraceGraph, tracedAddresses, type TraceGraph, type TraceGraphOptions, type TraceNodeAttributes, type TraceEdgeAttributes, type NodePolicyTaint } from './build.js';
export { evidencePath } from './evidence.js';
