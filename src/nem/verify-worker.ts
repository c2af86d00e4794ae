/**
 * Worker thread of verify-pool.ts: verifies the NEM signatures it is sent, in order.
 * Message in: `{ id, parts: [{ data, signature, signer }] }`; out: `{ id, ok: boolean[] }`.
 */
import { parentPort } from 'node:worker_threads';
import { verifyNem } from './keys.js';

interface Job {
  id: number;
  parts: Array<{ data: Uint8Array; signature: string; signer: string }>;
}

parentPort!.on('message', (job: Job) => {
  parentPort!.postMessage({ id: job.id, ok: job.parts.map((p) => verifyNem(p.signature, p.data, p.signer)) });
});
