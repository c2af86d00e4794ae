/**
 * GET /v1/exposure/{address}: the address's source-of-funds exposure (src/exposure) from the
 * transfers the server loaded at start (`ServerOptions.exposure`, a ConeSource held in memory).
 * A server started without one (`serve --no-exposure`; the library's default) answers 404 TRACE_NOT_FOUND;
 * bad query values are 400s with the exposure options' own codes; a cone above `limits.exposureTransfers` is 413 TRACE_WORK_LIMIT.
 */
import { TracerError } from '../../errors.js';
import { ConeBudget, exposureFrom, exposureView, type ConeSource } from '../../exposure/index.js';
import { parseAddress } from '../../nem/index.js';
import type { Policy } from '../../taint/index.js';
import type { ServerContext } from '../context.js';
import { standard } from './bind.js';

interface ExposureQuery {
  hops?: string;
  asOf?: string;
  categories?: string;
  policy?: string;
}

const list = (v: string | undefined) =>
  v === undefined
    ? undefined
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);

/** The source of exposures (GET /v1/exposure, POST /v1/screen's `exposure`), or the 404 of a server started without. */
export function exposureSource(ctx: ServerContext): ConeSource {
  const source = ctx.config.exposure;
  if (source === null)
    throw new TracerError(
      'TRACE_NOT_FOUND',
      'this server does not answer exposure: it holds no transfers (tainttrace serve --db DIR loads the store’s, unless --no-exposure)',
    );
  return source;
}

export const exposureRoutes = {
  getExposure: standard((ctx) => async (request) => {
    const source = exposureSource(ctx);
    const address = parseAddress((request.params as { address: string }).address);
    const q = request.query as ExposureQuery;
    const result = await exposureFrom(source, address, {
      hops: q.hops === undefined ? undefined : Number(q.hops),
      asOf: q.asOf,
      categories: list(q.categories),
      policies: list(q.policy) as Policy[] | undefined,
      budget: new ConeBudget(ctx.config.limits.exposureTransfers),
    });
    return exposureView(result);
  }),
};
