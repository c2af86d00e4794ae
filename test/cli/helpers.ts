/** Run the CLI in-process with captured stdout/stderr. */
import { PassThrough } from 'node:stream';
import type { CommandIO } from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';

export interface CapturedIo {
  io: CommandIO;
  stop: AbortController;
  out: () => string;
  err: () => string;
}

/** Streams for `main(argv, io)` and what was written to them so far; `stop` aborts a long-running command. */
export function captureIo(): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stop = new AbortController();
  const seen = { out: '', err: '' };
  stdout.on('data', (d) => {
    seen.out += d;
  });
  stderr.on('data', (d) => {
    seen.err += d;
  });
  return { io: { stdout, stderr, signal: stop.signal }, stop, out: () => seen.out, err: () => seen.err };
}

export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = captureIo();
  const code = await main(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}
