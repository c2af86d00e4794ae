/** Follow mode: read new blocks, store what the case needs, re-trace, raise events. */
export { follow, type FollowOptions, type FollowState, type FollowSummary } from './follow.js';
export { BlockReader, readBlock, type ReadBlock, type BlockReaderOptions } from './blocks.js';
