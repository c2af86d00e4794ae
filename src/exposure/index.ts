/**
 * Exposure (source of funds, docs/contracts.md §6): how much of what an address received came, within N hops
 * upstream, from accounts labelled with risky categories — per policy and category, with evidence.
 */
export {
  exposureOfGraph,
  exposureOfCone,
  type ExposureResult,
  type ExposureFigures,
  type PolicyExposure,
  type ExposureSource,
  type ConeInput,
} from './exposure.js';
export {
  exposure,
  exposureFrom,
  storeConeSource,
  loadConeSource,
  gatherCone,
  ConeBudget,
  type ConeSource,
  type StoreExposureOptions,
  type StoreExposureResult,
  type ExposureCoverage,
} from './load.js';
export { upstreamCone } from './cone.js';
export {
  resolveExposureOptions,
  DEFAULT_RISKY_CATEGORIES,
  EXPOSURE_DEFAULTS,
  EXPOSURE_LIMITS,
  type ExposureOptions,
  type ResolvedExposureOptions,
} from './options.js';
export { exposureView, type ExposureView } from './view.js';
