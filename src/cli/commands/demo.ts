/** `tainttrace demo` — placeholder until its issue lands; exits non-zero so nobody mistakes it for done. */
import { TracerError } from '../../errors.js';
import type { Command } from '../args.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: '(not built yet)',
  usage: 'tainttrace demo: not built yet',
  async run() {
    throw new TracerError('TRACE_INVALID_OPTION', 'demo is not built yet');
  },
};
