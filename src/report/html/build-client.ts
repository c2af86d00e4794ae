/**
 * `npm run build` step: writes the report page's client script, bundled once, as
 * dist/report/html/client.bundle.js (read by bundle.ts at report time; no esbuild at run time).
 * Run as `node dist/report/html/build-client.js` after tsc.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildClient, clientEntry, CLIENT_BUNDLE_FILE } from './bundle.js';

const out = fileURLToPath(new URL(`./${CLIENT_BUNDLE_FILE}`, import.meta.url));
await writeFile(out, await buildClient(clientEntry()), 'utf8');
