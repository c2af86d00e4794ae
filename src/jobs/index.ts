/** Orchestration of whole jobs over the stages (re-exports only). */
export { traceJob, type TraceJobOptions, type TraceJobResult } from './trace-job.js';
export { runDemo, DEMO_CASE_FILE, type DemoOptions, type DemoResult } from './demo-job.js';
export { follow, type FollowOptions, type FollowState, type FollowSummary } from './follow-job.js';
export { runLiveDemo, type LiveDemoOptions, type LiveDemoResult, type LiveDemoEvent } from './live-demo.js';
export { exportTags, type ExportTagsOptions } from './export-tags.js';
