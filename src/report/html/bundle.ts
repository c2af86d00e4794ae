/**
 * The page's client script (client.ts next to this file) with its graphology + sigma dependencies,
 * as one minified IIFE.
 *
 * Built once, at `npm run build` (`build-client.ts` writes `client.bundle.js` into dist/ next to the
 * compiled bundle.js): an installed package reads that file and never loads esbuild, which is a
 * dev dependency. Run from the sources (tests, tsx), where no prebuilt file sits next to this one,
 * it bundles with esbuild instead, once per process, so a change to the client is seen at once.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The prebuilt client's file name, next to the compiled bundle.js in dist/. */
export const CLIENT_BUNDLE_FILE = 'client.bundle.js';

let cached: Promise<string> | null = null;

/** Path of a file next to this module (src/report/html or dist/report/html). */
function besideThis(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

export function clientEntry(): string {
  for (const name of ['client.ts', 'client.js']) {
    const path = besideThis(name);
    if (existsSync(path)) return path;
  }
  throw new Error('report.html client entry (client.ts / client.js) is missing next to bundle.js');
}

/** The client script: the prebuilt file when there is one, else bundled now (from the sources). */
export function bundleClient(): Promise<string> {
  cached ??= (async () => {
    const prebuilt = besideThis(CLIENT_BUNDLE_FILE);
    if (existsSync(prebuilt)) return readFile(prebuilt, 'utf8');
    return buildClient(clientEntry());
  })();
  cached.catch(() => { cached = null; });
  return cached;
}

/** Bundle the client from `entry` with esbuild (a dev dependency: build time and sources only). */
export async function buildClient(entry: string): Promise<string> {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    entryPoints: [entry],
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
}
