/**
 * The library face (`import { … } from 'tainttrace'`) offers what README's Library section uses and
 * what docs/contracts.md promises: open a store, crawl, trace, screenDeposit, build the server.
 */
import { describe, expect, it } from 'vitest';
import * as lib from '../src/index.js';

describe('tainttrace library face', () => {
  it.each([
    'openStore',
    'crawl',
    'loadCase',
    'traceJob',
    'runTrace',
    'screenDeposit',
    'buildServer',
    'buildTaintIndex',
    'loadTaintIndexFromDir',
    'writeReports',
    'runDemo',
    'startFixtureNode',
    'loadScenario',
    'ChainBuilder',
    'publicKeyToAddress',
    'parseXem',
    'formatXem',
    'normalizeTransaction',
    'TracerError',
    'exposure',
    'exposureOfGraph',
    'traceGraph',
  ])('exports %s', (name) => {
    expect(typeof (lib as Record<string, unknown>)[name]).toBe('function');
  });

  it('exports the policies and the error registry', () => {
    expect(lib.POLICIES).toEqual(['poison', 'haircut', 'fifo', 'lifo', 'taint-first', 'clean-first']);
    expect(lib.ERRORS.TRACE_INVALID_ADDRESS.status).toBe(400);
    expect(lib.ENGINE_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });
});
