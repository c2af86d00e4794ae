/**
 * Flag parsing shared by every command: node's util.parseArgs in strict mode, with errors turned
 * into TRACE_INVALID_OPTION one-liners, plus typed readers for numbers and lists.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseNodeUrl } from '../crawl/index.js';
import { TracerError } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

export interface Command {
  name: string;
  summary: string;
  /** Full help text printed by `tainttrace <name> --help`. */
  usage: string;
  /** The exit code; a command that does no I/O may answer synchronously. */
  run(argv: string[], io: CommandIO): Promise<number> | number;
}

export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Input for commands that read `-` (default: process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM) — long-running commands await it. */
  signal: AbortSignal;
}

/** The values parseArgs yields for an options table: booleans, strings or string lists. */
export type FlagValues<T extends Options> = {
  [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : T[K] extends { multiple: true } ? string[] : string;
} & { help?: boolean };

export function parseFlags<T extends Options>(
  argv: string[],
  options: T,
  allowPositionals = false,
): { values: FlagValues<T>; positionals: string[] } {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } }, strict: true, allowPositionals });
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new TracerError('TRACE_INVALID_OPTION', message.replace(/\. To specify.*$/, ''));
  }
}

export function intFlag(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new TracerError('TRACE_INVALID_OPTION', `--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return Number(value);
}

export function requireFlag<V>(value: V | undefined, name: string): V {
  if (value === undefined || value === '') throw new TracerError('TRACE_INVALID_OPTION', `--${name} is required (see --help)`);
  return value;
}

export function listFlag(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

export function writeJson(io: CommandIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
}

/** `--node URL[,URL…]` (repeatable) → node URLs; at least one. */
export function nodesFlag(values: string[] | undefined): string[] {
  const nodes = (values ?? [])
    .flatMap((v) => listFlag(v))
    .map((u) => {
      try {
        return parseNodeUrl(u);
      } catch {
        throw new TracerError(
          'TRACE_INVALID_OPTION',
          `--node must be http(s) URLs such as http://127.0.0.1:7890, got ${JSON.stringify(u)}`,
        );
      }
    });
  if (nodes.length === 0) throw new TracerError('TRACE_INVALID_OPTION', '--node is required (see --help)');
  return nodes;
}

/** `--rate N`: requests per second above 0 (default 10, the crawler's). */
export function rateFlag(value: string | undefined): number {
  const rate = value === undefined ? 10 : Number(value);
  if (!/^\d+(\.\d+)?$/.test(value ?? '10') || !(rate > 0))
    throw new TracerError('TRACE_INVALID_OPTION', `--rate must be a number of requests per second above 0, got ${JSON.stringify(value)}`);
  return rate;
}
