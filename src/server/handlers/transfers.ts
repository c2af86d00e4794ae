/** GET /v1/transfers/{hash}: a transfer that carried taint, and the taint it carried per policy. */
import { TracerError } from '../../errors.js';
import { transferView } from '../../screen/index.js';
import { standard } from './bind.js';

const HASH = /^[0-9a-fA-F]{64}$/;

export const transferRoutes = {
  getTransfer: standard((ctx) => (request, rep) => {
    const { hash } = request.params as { hash: string };
    if (!HASH.test(hash))
      throw new TracerError('TRACE_INVALID_HASH', `invalid transfer hash ${JSON.stringify(hash)}: expected 64 hex digits`);
    const view = transferView(ctx.state.indexOr503(), hash.toLowerCase());
    if (!view) throw new TracerError('TRACE_NOT_FOUND', `the taint index holds no transfer ${hash.toLowerCase()}`);
    return rep.send(view);
  }),
};
