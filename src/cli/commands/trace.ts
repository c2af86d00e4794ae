/** `tainttrace trace` — placeholder until its issue lands; exits non-zero so nobody mistakes it for done. */
import { TracerError } from '../../errors.js';
import type { Command } from '../args.js';

export const traceCommand: Command = {
  name: 'trace',
  summary: '(not built yet)',
  usage: 'tainttrace trace: not built yet',
  async run() {
    throw new TracerError('TRACE_INVALID_OPTION', 'trace is not built yet');
  },
};
