/** `tainttrace stats` — placeholder until its issue lands; exits non-zero so nobody mistakes it for done. */
import { TracerError } from '../../errors.js';
import type { Command } from '../args.js';

export const statsCommand: Command = {
  name: 'stats',
  summary: '(not built yet)',
  usage: 'tainttrace stats: not built yet',
  async run() {
    throw new TracerError('TRACE_INVALID_OPTION', 'stats is not built yet');
  },
};
