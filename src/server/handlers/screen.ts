/**
 * POST /v1/screen: one screening per deposit. Results are written as JSON text directly
 * (src/screen/json.ts) into one growing Buffer (json-bytes.ts) and sent as they are, bypassing the
 * response serializer; test/screen/json.test.ts holds the bytes to the route's 200 schema.
 */
import { TracerError } from '../../errors.js';
import { parseXem } from '../../nem/amount.js';
import { isoToNem } from '../../nem/time.js';
import { asOfJson, screenResultJson } from '../../screen/json.js';
import { screenParsed } from '../../screen/screen.js';
import { JsonBytes } from '../json-bytes.js';
import { JSON_TYPE, standard } from './bind.js';

export const screenRoutes = {
  screenDeposits: standard((ctx) => (request, rep) => {
    const answers = ctx.state.answersOr503();
    const index = answers.index;
    const deposits = (request.body as { deposits: { from: string; amount: string; time?: string }[] }).deposits;
    const times = new Map<string, number>(); // a batch often repeats its times; parse each once
    const timeOf = (text: string): number => {
      let t = times.get(text);
      if (t === undefined) times.set(text, (t = isoToNem(text)));
      return t;
    };
    const parsed = deposits.map((d, i) => {
      try {
        return { from: answers.canonical(d.from), amount: parseXem(d.amount), time: d.time === undefined ? null : timeOf(d.time) };
      } catch (err) {
        if (err instanceof TracerError) throw new TracerError(err.code, `deposits[${i}]: ${err.message}`);
        throw err;
      }
    });
    const out = new JsonBytes(2048 * parsed.length).append('{"results":[');
    for (let i = 0; i < parsed.length; i++) {
      const d = parsed[i];
      const r = screenParsed(index, d.from, d.amount, d.time, ctx.config.rules);
      ctx.metrics.screened(r.risk);
      if (i > 0) out.append(',');
      out.append(screenResultJson(r));
    }
    out.append(`],"asOf":${asOfJson(index.asOf)}}`);
    return rep.header('content-type', JSON_TYPE).send(out.bytes());
  }),
};
