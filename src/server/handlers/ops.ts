/** The operator's routes: liveness, readiness, Prometheus metrics, the OpenAPI document. */
import { asOfView } from '../../screen/index.js';
import { standard } from './bind.js';

export const opsRoutes = {
  health: standard(() => (_request, rep) => rep.send({ status: 'ok' })),
  ready: standard(({ state }) => (_request, rep) => {
    const index = state.indexOr503();
    return rep.send({ status: 'ready', accounts: index.accounts.size, transfers: index.transfers.size, asOf: asOfView(index.asOf) });
  }),
  metrics: standard(({ state, metrics }) => (_request, rep) => {
    const index = state.index;
    return rep.type('text/plain; version=0.0.4; charset=utf-8').send(
      metrics.render({
        indexLoaded: index !== null,
        accounts: index?.accounts.size ?? 0,
        transfers: index?.transfers.size ?? 0,
        asOfHeight: index?.asOf.height ?? null,
      }),
    );
  }),
  openapi: standard(
    ({ openapi }) =>
      (_request, rep) =>
        rep.send(openapi),
  ),
};
