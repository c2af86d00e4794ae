import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS, TracerError, isTracerError, type ErrorCode } from '../src/errors.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('error registry', () => {
  const codes = Object.keys(ERRORS) as ErrorCode[];

  it('uses the TRACE_ prefix and a 4xx/5xx status for every code', () => {
    for (const code of codes) {
      expect(code).toMatch(/^TRACE_[A-Z_]+$/);
      expect(ERRORS[code].status).toBeGreaterThanOrEqual(400);
      expect(ERRORS[code].status).toBeLessThan(600);
    }
  });

  it('lists every code in README.md with its status', () => {
    for (const code of codes) {
      expect(readme, `README Errors table misses ${code}`).toMatch(
        new RegExp(`\\|\\s*\`${code}\`\\s*\\|\\s*${ERRORS[code].status}\\s*\\|`),
      );
    }
  });

  it('README lists no code the registry lacks', () => {
    const listed = [...readme.matchAll(/\|\s*`(TRACE_[A-Z_]+)`\s*\|/g)].map((m) => m[1]);
    for (const code of listed) expect(codes).toContain(code);
  });

  it('TracerError carries code, status, retryability and serialises to { code, message }', () => {
    const err = new TracerError('TRACE_NODE_HTTP', 'node said 503', { details: { node: 'http://127.0.0.1:1' } });
    expect(err).toBeInstanceOf(Error);
    expect(isTracerError(err, 'TRACE_NODE_HTTP')).toBe(true);
    expect(isTracerError(err, 'TRACE_NOT_FOUND')).toBe(false);
    expect(err.status).toBe(502);
    expect(err.retryable).toBe(true);
    expect(JSON.parse(JSON.stringify(err))).toEqual({ code: 'TRACE_NODE_HTTP', message: 'node said 503' });
  });
});
