/** Shared helpers for the server tests: a server over the small fixture, and an error-shape check. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { ERRORS, type ErrorCode } from '../../src/errors.js';
import { buildTaintIndex } from '../../src/screen/index.js';
import { buildServer, type ServerOptions } from '../../src/server/index.js';
import { smallResult } from '../screen/fixture.js';

export const fixtureIndex = buildTaintIndex(smallResult());

export function server(options: ServerOptions = {}): FastifyInstance {
  return buildServer({ index: fixtureIndex, ...options });
}

/** Asserts `{ error: { code, message } }` with the registry's status for that code. */
export function expectError(res: LightMyRequestResponse, code: ErrorCode): void {
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json<{ error: { code: ErrorCode; message: string } }>();
  expect(body.error.code, res.body).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(res.statusCode).toBe(ERRORS[code].status);
}
