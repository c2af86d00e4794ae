/**
 * The engine version, read once from package.json (one level above both src/ and dist/), so the
 * manifest, `--version` and the crawler's User-Agent always name the version that ran.
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const ENGINE_VERSION: string = readVersion();
