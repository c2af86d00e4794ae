/** The command table, in the order `tainttrace --help` lists them. */
import type { Command } from '../args.js';
import { crawlCommand } from './crawl.js';
import { demoCommand } from './demo.js';
import { eventsCommand } from './events.js';
import { exportTagsCommand } from './export-tags.js';
import { exposureCommand } from './exposure.js';
import { followCommand } from './follow.js';
import { fixtureNodeCommand } from './fixture-node.js';
import { importCommand } from './import.js';
import { keysCommand } from './keys.js';
import { pathsCommand } from './paths.js';
import { screenCommand } from './screen.js';
import { serveCommand } from './serve.js';
import { statsCommand } from './stats.js';
import { traceCommand } from './trace.js';

export const commands: Command[] = [
  demoCommand,
  fixtureNodeCommand,
  crawlCommand,
  importCommand,
  statsCommand,
  traceCommand,
  pathsCommand,
  screenCommand,
  exposureCommand,
  serveCommand,
  followCommand,
  eventsCommand,
  exportTagsCommand,
  keysCommand,
];
