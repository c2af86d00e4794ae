/**
 * Bundles the page's client (client.ts next to this file, or client.js once compiled to dist/)
 * with its graphology + sigma dependencies from node_modules into one minified IIFE, using
 * esbuild at report-write time. The result is cached per process; esbuild is loaded lazily.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | null = null;

export function clientEntry(): string {
  for (const name of ['client.ts', 'client.js']) {
    const path = fileURLToPath(new URL(`./${name}`, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('report.html client entry (client.ts / client.js) is missing next to bundle.js');
}

export function bundleClient(): Promise<string> {
  cached ??= (async () => {
    const esbuild = await import('esbuild');
    const out = await esbuild.build({
      entryPoints: [clientEntry()],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      minify: true,
      legalComments: 'eof',
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    return out.outputFiles[0].text;
  })();
  cached.catch(() => { cached = null; });
  return cached;
}
