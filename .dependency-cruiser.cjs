/**
 * Import boundaries of src/ (docs/architecture.md §2–3), checked by `npm run lint` (depcruise).
 * Each forbidden arrow names why; a deep import (into a folder other than through its index.ts)
 * is refused except for the documented exceptions.
 */
const IO_CORE = '^(node:)?(fs|fs/promises|net|http|https|http2|tls|dgram|child_process|worker_threads|cluster|readline)$';
const IO_PACKAGES = '^node_modules/(level|classic-level|abstract-level|undici|fastify|@fastify/[^/]+|cli-progress)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'Modules must not import each other in a cycle.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      comment: 'taint/ is the pure core: no stage with I/O, no file, network or database module (docs/architecture.md §2).',
      severity: 'error',
      from: { path: '^src/taint/' },
      to: { path: ['^src/(store|crawl|server|report|screen|jobs|cli|fixture|labels|graph)/', IO_CORE, IO_PACKAGES] },
    },
    {
      name: 'core-is-pure-builtins',
      comment: 'taint/ imports no Node.js I/O module.',
      severity: 'error',
      from: { path: '^src/taint/' },
      to: { dependencyTypes: ['core'], path: IO_CORE },
    },
    {
      name: 'inputs-without-core',
      comment: 'labels/ and store/ hold inputs of the core; they use the shared vocabulary (src/domain.ts), not taint/.',
      severity: 'error',
      from: { path: '^src/(labels|store)/' },
      to: { path: '^src/taint/' },
    },
    {
      name: 'server-never-crawls',
      comment: 'Serving answers from the loaded index; a request must never turn into outbound crawling.',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/crawl/' },
    },
    {
      name: 'store-knows-no-crawler',
      comment: 'The store is a passive container; the crawler writes through it, not the other way round.',
      severity: 'error',
      from: { path: '^src/store/' },
      to: { path: '^src/crawl/' },
    },
    {
      name: 'report-is-offline',
      comment: 'Reports are computed from a TraceResult and must be producible without the HTTP stack.',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^src/server/' },
    },
    {
      name: 'no-calling-up',
      comment: 'cli/ and jobs/ compose the stages; stages never import them (jobs/ may be used by cli/).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|jobs)/|^src/index\\.ts$' },
      to: { path: '^src/(cli|jobs)/' },
    },
    {
      name: 'no-test-code-in-library',
      comment: 'Library stages do not import fixture/ (test and demo data) or test/; jobs/ (demo), cli/ and the face may.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(fixture|jobs|cli)/|^src/index\\.ts$' },
      to: { path: '^(src/fixture|test)/' },
    },
    {
      name: 'enter-through-index',
      comment:
        'A folder of src/ is entered through its index.ts (docs/architecture.md §3). Within a folder anything goes; ' +
        'root leaves (errors.ts, version.ts, domain.ts) are open to all; fixture/ (test and demo support) may reach in, as tests do.',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: '^src/fixture/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'face-through-index',
      comment: 'src/index.ts re-exports each folder through its index.ts.',
      severity: 'error',
      from: { path: '^src/[^/]+\\.ts$' },
      to: { path: '^src/[^/]+/', pathNot: '^src/[^/]+/index\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
