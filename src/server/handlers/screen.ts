/**
 * POST /v1/screen: one screening per deposit. Results are written as JSON text directly
 * (src/screen/json.ts) into one growing Buffer (json-bytes.ts) and sent as they are, bypassing the
 * response serializer; test/screen/json.test.ts holds the bytes to the route's 200 schema.
 *
 * A deposit with `exposure: true` also gets its sender's source-of-funds exposure (src/exposure, the
 * answer of GET /v1/exposure with the default options, as of the deposit's time): `exposure` next to
 * the case-based taint, null when the served transfers hold none into the sender. All exposures of
 * one request share one cap on the transfers their cones gather (`limits.exposureTransfers`; 413
 * TRACE_WORK_LIMIT past it); a sender asked twice at one time is computed once. A request asking no
 * exposure takes the plain path, unchanged.
 */
import { TracerError } from '../../errors.js';
import { ConeBudget, exposureFrom, exposureView, type ConeSource } from '../../exposure/index.js';
import { parseXem, isoToNem } from '../../nem/index.js';
import { asOfJson, screenResultJson, screenParsed } from '../../screen/index.js';
import type { ServerContext } from '../context.js';
import { JsonBytes } from '../json-bytes.js';
import { JSON_TYPE, standard } from './bind.js';
import { exposureSource } from './exposure.js';

interface Deposit {
  from: string;
  amount: string;
  time?: string;
  exposure?: boolean;
}
interface ParsedDeposit {
  from: string;
  amount: bigint;
  time: number | null;
  exposure: boolean;
}

export const screenRoutes = {
  screenDeposits: standard((ctx) => (request, rep) => {
    const answers = ctx.state.answersOr503();
    const index = answers.index;
    const deposits = (request.body as { deposits: Deposit[] }).deposits;
    const times = new Map<string, number>(); // a batch often repeats its times; parse each once
    const timeOf = (text: string): number => {
      let t = times.get(text);
      if (t === undefined) times.set(text, (t = isoToNem(text)));
      return t;
    };
    const parsed: ParsedDeposit[] = deposits.map((d, i) =>
      atDeposit(i, () => ({
        from: answers.canonical(d.from),
        amount: parseXem(d.amount),
        time: d.time === undefined ? null : timeOf(d.time),
        exposure: d.exposure === true,
      })),
    );
    const write = (exposures: readonly (string | null | undefined)[] | null) => {
      const out = new JsonBytes(2048 * parsed.length).append('{"results":[');
      for (let i = 0; i < parsed.length; i++) {
        const d = parsed[i];
        const r = screenParsed(index, d.from, d.amount, d.time, ctx.config.rules);
        ctx.metrics.screened(r.risk);
        if (i > 0) out.append(',');
        const json = screenResultJson(r);
        const e = exposures?.[i];
        out.append(e === undefined ? json : `${json.slice(0, -1)},"exposure":${e ?? 'null'}}`);
      }
      out.append(`],"asOf":${asOfJson(index.asOf)}}`);
      return rep.header('content-type', JSON_TYPE).send(out.bytes());
    };
    if (!parsed.some((d) => d.exposure)) return write(null);
    return exposuresOf(ctx, parsed).then(write);
  }),
};

/** The exposure JSON per deposit: undefined where none was asked, null where the sender received nothing served. */
async function exposuresOf(ctx: ServerContext, parsed: readonly ParsedDeposit[]): Promise<(string | null | undefined)[]> {
  const source = exposureSource(ctx);
  const budget = new ConeBudget(ctx.config.limits.exposureTransfers);
  const done = new Map<string, string | null>();
  const out: (string | null | undefined)[] = [];
  for (const [i, d] of parsed.entries()) {
    if (!d.exposure) {
      out.push(undefined);
      continue;
    }
    const key = `${d.from}@${d.time ?? ''}`;
    let json = done.get(key);
    if (json === undefined) done.set(key, (json = await atDepositAsync(i, () => senderExposure(source, d, budget))));
    out.push(json);
  }
  return out;
}

async function senderExposure(source: ConeSource, d: ParsedDeposit, budget: ConeBudget): Promise<string | null> {
  try {
    return JSON.stringify(exposureView(await exposureFrom(source, d.from, { asOf: d.time, budget })));
  } catch (err) {
    if (err instanceof TracerError && err.code === 'TRACE_NOT_FOUND') return null; // nothing served into the sender
    throw err;
  }
}

/** Runs `f`, naming the deposit in the message of a TracerError it throws. */
function atDeposit<T>(i: number, f: () => T): T {
  try {
    return f();
  } catch (err) {
    throw named(i, err);
  }
}

async function atDepositAsync<T>(i: number, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    throw named(i, err);
  }
}

function named(i: number, err: unknown): unknown {
  return err instanceof TracerError ? new TracerError(err.code, `deposits[${i}]: ${err.message}`, { details: { ...err.details } }) : err;
}
