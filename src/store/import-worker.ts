/**
 * Worker thread of import-pool.ts: checks the blocks of lines it is sent (import-check.ts `checkBlock`).
 * Message in: `{ id, job }`; out: `{ id, result }`, or `{ id, failure }` when the check itself broke (a bug).
 */
import { parentPort } from 'node:worker_threads';
import { checkBlock, type BlockJob } from './import-check.js';

parentPort!.on('message', ({ id, job }: { id: number; job: BlockJob }) => {
  try {
    const result = checkBlock(job);
    parentPort!.postMessage({ id, result }, [result.heights.buffer as ArrayBuffer, result.at.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id, failure: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
