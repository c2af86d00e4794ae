/**
 * Labels and cases: TagPack YAML and case-file parsing (pure) and loading (I/O).
 */
export { parseLabels } from './tagpack.js';
export { parseCase, DEFAULT_MAX_HOPS, DEFAULT_DUST } from './case.js';
export { loadLabelFiles, loadCase, type LoadedCase } from './load.js';
export { mosaicLabels, addMosaicLabels } from './mosaics.js';
