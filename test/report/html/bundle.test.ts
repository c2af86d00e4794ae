import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleClient, CLIENT_BUNDLE_FILE } from '../../../src/report/html/bundle.js';

const distHtml = join(import.meta.dirname, '../../../dist/report/html');
const tmp = mkdtempSync(join(tmpdir(), 'tainttrace-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bundleClient', () => {
  it('npm run build writes the client once, as dist/report/html/client.bundle.js', () => {
    expect(existsSync(join(distHtml, CLIENT_BUNDLE_FILE)), 'dist/ is built by `npm ci` / `npm run build`').toBe(true);
    const js = readFileSync(join(distHtml, CLIENT_BUNDLE_FILE), 'utf8');
    expect(js.length).toBeGreaterThan(50_000); // graphology + sigma are inside
    expect(js).not.toMatch(/^\s*import\s/m);
  });

  it('the built package reads the prebuilt file and never loads esbuild', () => {
    // bundle.js and the prebuilt file alone, where no node_modules can be found: importing esbuild would fail
    copyFileSync(join(distHtml, 'bundle.js'), join(tmp, 'bundle.mjs'));
    copyFileSync(join(distHtml, CLIENT_BUNDLE_FILE), join(tmp, CLIENT_BUNDLE_FILE));
    const out = execFileSync(process.execPath, [
      '--input-type=module',
      '-e',
      `const { bundleClient } = await import(${JSON.stringify(join(tmp, 'bundle.mjs'))}); process.stdout.write(await bundleClient());`,
    ]);
    expect(out.toString()).toBe(readFileSync(join(tmp, CLIENT_BUNDLE_FILE), 'utf8'));
  });

  it('from the sources it bundles client/main.ts with esbuild, once per process', async () => {
    const a = bundleClient();
    expect(bundleClient()).toBe(a);
    expect((await a).length).toBeGreaterThan(50_000);
  });
});
