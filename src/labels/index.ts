/**
 * Labels: TagPack YAML parsing (pure) and loading (I/O), plus case loading.
 */
export { parseLabels } from './tagpack.js';
export { loadLabelFiles, loadCase, type LoadedCase } from './load.js';
