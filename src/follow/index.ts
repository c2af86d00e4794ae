/** Follow mode's stage: reading and verifying new blocks (the loop is the follow job, src/jobs/follow-job.ts). */
export { BlockReader, readBlock, type ReadBlock, type BlockReaderOptions } from './blocks.js';
