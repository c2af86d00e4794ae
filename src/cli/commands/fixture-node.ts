/** `tainttrace fixture-node` — placeholder until its issue lands; exits non-zero so nobody mistakes it for done. */
import { TracerError } from '../../errors.js';
import type { Command } from '../args.js';

export const fixtureNodeCommand: Command = {
  name: 'fixture-node',
  summary: '(not built yet)',
  usage: 'tainttrace fixture-node: not built yet',
  async run() {
    throw new TracerError('TRACE_INVALID_OPTION', 'fixture-node is not built yet');
  },
};
