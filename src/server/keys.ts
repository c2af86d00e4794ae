/**
 * API keys: the key file, its digests, and the Bearer header. The guard that checks them is
 * guards/auth.ts; the token buckets are guards/rate-limit.ts.
 *
 * Keys come from a file (`--api-keys FILE`): JSON — `["k1", …]`, `{ "keys": [...] }`, or entries
 * `{ "key", "name"?, "rate"?: { "capacity", "perSecond" } }` — or plain text, one key per line
 * (blank lines and `#` comments ignored). Keys are held as SHA-256 digests, never logged.
 * A request presents `Authorization: Bearer <key>`.
 *
 * A key is at least 32 characters of printable ASCII without spaces (shorter keys are refused, in
 * the file and in buildServer's options): `generateKey` (`tainttrace keys new`) makes them from 32
 * random bytes — `ttk_` and 43 base64url characters, 256 bits.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TracerError } from '../errors.js';
import { checkRate, type RateLimit } from './guards/rate-limit.js';

export interface ApiKey {
  key: string;
  name?: string;
  rate?: RateLimit;
}
export interface KeyInfo {
  name: string;
  rate: RateLimit | null;
}

export const MIN_KEY_LENGTH = 32;
const KEY_CHARS = /^[\x21-\x7e]+$/;

/** A new API key: `ttk_` + 32 random bytes in base64url (47 characters). */
export function generateKey(): string {
  return `ttk_${randomBytes(32).toString('base64url')}`;
}

/** Throws TRACE_INVALID_OPTION unless `key` is long enough and printable (see the module header). */
export function checkKey(key: unknown, what: string): string {
  if (typeof key !== 'string' || key.length < MIN_KEY_LENGTH || !KEY_CHARS.test(key)) {
    const got = typeof key === 'string' ? `${key.length} characters` : typeof key;
    throw new TracerError(
      'TRACE_INVALID_OPTION',
      `${what}: an API key must be at least ${MIN_KEY_LENGTH} printable characters without spaces (got ${got}); make one with ` +
        `tainttrace keys new`,
    );
  }
  return key;
}

export function digestKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Parses the API key file's text (see module header). Throws TRACE_INVALID_OPTION. */
export function parseApiKeys(text: string, source = 'api key file'): ApiKey[] {
  const trimmed = text.trim();
  let keys: ApiKey[];
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new TracerError('TRACE_INVALID_OPTION', `${source}: not valid JSON (${(err as Error).message})`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown }).keys;
    if (!Array.isArray(list)) throw new TracerError('TRACE_INVALID_OPTION', `${source}: expected an array of keys or { "keys": [...] }`);
    keys = list.map((item, i) => {
      if (typeof item === 'string') return { key: item };
      const o = item as ApiKey;
      if (typeof o !== 'object' || o === null || typeof o.key !== 'string')
        throw new TracerError('TRACE_INVALID_OPTION', `${source}: entry ${i} has no "key" string`);
      if (o.rate !== undefined) checkRate(o.rate, `${source}: entry ${i} rate`);
      return { key: o.key, name: typeof o.name === 'string' ? o.name : undefined, rate: o.rate };
    });
  } else {
    keys = trimmed
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((key) => ({ key }));
  }
  keys.forEach((k, i) => checkKey(k.key, `${source}: key ${i + 1}`));
  if (keys.length === 0) throw new TracerError('TRACE_INVALID_OPTION', `${source}: holds no keys`);
  return keys;
}

export function readApiKeysFile(path: string): ApiKey[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TracerError(
      'TRACE_INVALID_OPTION',
      `cannot read --api-keys ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseApiKeys(text, path);
}

/** Reads `Authorization: Bearer <key>`; null when absent or not of that form. */
export function bearerToken(header: string | undefined): string | null {
  if (typeof header !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}
