#!/usr/bin/env node
/**
 * `tainttrace` — the command-line face. Dispatches to src/cli/commands/*.ts; turns every error into
 * one line on stderr (or `{ error: { code, message } }` with --json) and a non-zero exit.
 */
import { isTracerError } from '../errors.js';
import { ENGINE_VERSION } from '../version.js';
import type { Command, CommandIO } from './args.js';
import { commands } from './commands/index.js';

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview(commands));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    io.stdout.write(`${ENGINE_VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`tainttrace: unknown command ${JSON.stringify(name)} (try tainttrace --help)\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage.trim()}\n`);
    return 0;
  }
  const json = rest.includes('--json');
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (isTracerError(err)) {
      if (json) io.stdout.write(`${JSON.stringify({ error: err.toJSON() })}\n`);
      io.stderr.write(`tainttrace ${name}: ${err.message} [${err.code}]\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (json) io.stdout.write(`${JSON.stringify({ error: { code: 'TRACE_INTERNAL', message } })}\n`);
    io.stderr.write(`tainttrace ${name}: internal error: ${message}\n`);
    if (process.env.TAINTTRACE_DEBUG) io.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}

export { ENGINE_VERSION };

function overview(list: Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return [
    'tainttrace — trace tainted XEM through the NEM chain',
    '',
    'Usage: tainttrace <command> [flags]   (tainttrace <command> --help for its flags)',
    '',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
const isEntryReal =
  isEntry ||
  (process.argv[1] ?? '').endsWith('/main.js') ||
  (process.argv[1] ?? '').endsWith('/main.ts') ||
  (process.argv[1] ?? '').endsWith('/tainttrace');
if (isEntryReal) {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal }).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`tainttrace: ${String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
