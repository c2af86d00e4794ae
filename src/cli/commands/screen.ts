/** `tainttrace screen` — placeholder until its issue lands; exits non-zero so nobody mistakes it for done. */
import { TracerError } from '../../errors.js';
import type { Command } from '../args.js';

export const screenCommand: Command = {
  name: 'screen',
  summary: '(not built yet)',
  usage: 'tainttrace screen: not built yet',
  async run() {
    throw new TracerError('TRACE_INVALID_OPTION', 'screen is not built yet');
  },
};
