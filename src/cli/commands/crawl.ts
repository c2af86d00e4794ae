/** `tainttrace crawl` — placeholder until its issue lands; exits non-zero so nobody mistakes it for done. */
import { TracerError } from '../../errors.js';
import type { Command } from '../args.js';

export const crawlCommand: Command = {
  name: 'crawl',
  summary: '(not built yet)',
  usage: 'tainttrace crawl: not built yet',
  async run() {
    throw new TracerError('TRACE_INVALID_OPTION', 'crawl is not built yet');
  },
};
