/**
 * The page's client script (client/main.ts and its modules) with its graphology + sigma dependencies,
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

/**
 * The client's entry, client/main.ts: next to this module when run from the sources; from dist/ at build
 * time, in the source tree beside it (the client is typed against the DOM by its own tsconfig and is not
 * compiled by tsc: esbuild bundles it from TypeScript).
 */
export function clientEntry(): string {
  for (const path of [besideThis('client/main.ts'), fileURLToPath(new URL('../../../src/report/html/client/main.ts', import.meta.url))]) {
    if (existsSync(path)) return path;
  }
  throw new Error('report.html client entry (src/report/html/client/main.ts) is missing');
}

/** The client script: the prebuilt file when there is one, else bundled now (from the sources). */
export function bundleClient(): Promise<string> {
  cached ??= (async () => {
    const prebuilt = besideThis(CLIENT_BUNDLE_FILE);
    if (existsSync(prebuilt)) return readFile(prebuilt, 'utf8');
    return buildClient(clientEntry());
  })();
  cached.catch(() => {
    cached = null;
  });
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
