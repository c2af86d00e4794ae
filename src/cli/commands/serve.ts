/** `tainttrace serve` — placeholder until its issue lands; exits non-zero so nobody mistakes it for done. */
import { TracerError } from '../../errors.js';
import type { Command } from '../args.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: '(not built yet)',
  usage: 'tainttrace serve: not built yet',
  async run() {
    throw new TracerError('TRACE_INVALID_OPTION', 'serve is not built yet');
  },
};
