/**
 * Prometheus metrics kept by hand (text exposition format 0.0.4): request counter by route, method
 * and status; a latency histogram by route; screened deposits by risk; index gauges. Recording is
 * cheap (per-route recorder bound once, one histogram slot per observation, cumulated on render).
 */
import { cmpStr } from '../domain.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/**
 * Counters and latency histogram of one route; `observe` is a counter increment (the last method and status
 * are remembered, so a run of GET 200s needs no Map lookup) and a bucket scan from the smallest.
 */
export class RouteMetrics {
  /** method → status → count. */
  readonly counts = new Map<string, Map<number, { n: number }>>();
  /** Non-cumulative: bucket i counts le BUCKETS[i] and above BUCKETS[i - 1]; the last slot is +Inf. */
  readonly buckets = new Array<number>(BUCKETS.length + 1).fill(0);
  sum = 0;
  count = 0;
  /** The counter of the last method and status seen: a run of GET 200s skips both Map lookups. */
  private lastMethod = '';
  private lastStatus = 0;
  private last: { n: number } = { n: 0 };

  observe(method: string, status: number, seconds: number): void {
    if (status === this.lastStatus && method === this.lastMethod) this.last.n++;
    else {
      let byMethod = this.counts.get(method);
      if (!byMethod) this.counts.set(method, (byMethod = new Map<number, { n: number }>()));
      let c = byMethod.get(status);
      if (c) c.n++;
      else byMethod.set(status, (c = { n: 1 }));
      this.lastMethod = method;
      this.lastStatus = status;
      this.last = c;
    }
    let i = 0;
    while (i < BUCKETS.length && seconds > BUCKETS[i]) i++;
    this.buckets[i]++;
    this.sum += seconds;
    this.count++;
  }
}

export class Metrics {
  private readonly routes = new Map<string, RouteMetrics>();
  private readonly risks = new Map<string, number>();
  private readonly clientErrors = new Map<string, number>();
  rateLimited = 0;
  unauthorized = 0;

  /** A request refused before routing (transport.ts), by code. */
  clientError(code: string): void {
    this.clientErrors.set(code, (this.clientErrors.get(code) ?? 0) + 1);
  }

  /** The recorder of one route (created on first use); the server binds one per route up front. */
  route(route: string): RouteMetrics {
    let r = this.routes.get(route);
    if (!r) this.routes.set(route, (r = new RouteMetrics()));
    return r;
  }

  observe(route: string, method: string, status: number, seconds: number): void {
    this.route(route).observe(method, status, seconds);
  }

  screened(risk: string): void {
    this.risks.set(risk, (this.risks.get(risk) ?? 0) + 1);
  }

  render(gauges: { indexLoaded: boolean; accounts: number; transfers: number; asOfHeight: number | null }): string {
    const out: string[] = [];
    out.push('# HELP tainttrace_http_requests_total HTTP requests answered.', '# TYPE tainttrace_http_requests_total counter');
    const routes = [...this.routes].filter(([, r]) => r.count > 0).sort(([a], [b]) => cmpStr(a, b));
    for (const [route, r] of routes) {
      for (const [method, byStatus] of [...r.counts].sort()) {
        for (const [status, c] of [...byStatus].sort(([a], [b]) => a - b)) {
          out.push(`tainttrace_http_requests_total{route="${esc(route)}",method="${esc(method)}",status="${status}"} ${c.n}`);
        }
      }
    }
    out.push(
      '# HELP tainttrace_http_request_duration_seconds Time to answer, by route.',
      '# TYPE tainttrace_http_request_duration_seconds histogram',
    );
    for (const [route, r] of routes) {
      const labels = `route="${esc(route)}"`;
      let cumulative = 0;
      BUCKETS.forEach((le, i) =>
        out.push(`tainttrace_http_request_duration_seconds_bucket{${labels},le="${le}"} ${(cumulative += r.buckets[i])}`),
      );
      out.push(`tainttrace_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${r.count}`);
      out.push(`tainttrace_http_request_duration_seconds_sum{${labels}} ${r.sum}`);
      out.push(`tainttrace_http_request_duration_seconds_count{${labels}} ${r.count}`);
    }
    out.push('# HELP tainttrace_screened_deposits_total Deposits screened, by risk.', '# TYPE tainttrace_screened_deposits_total counter');
    for (const [k, v] of [...this.risks].sort()) out.push(`tainttrace_screened_deposits_total{risk="${k}"} ${v}`);
    out.push(
      '# HELP tainttrace_rate_limited_total Requests refused by the rate limit.',
      '# TYPE tainttrace_rate_limited_total counter',
      `tainttrace_rate_limited_total ${this.rateLimited}`,
    );
    out.push(
      '# HELP tainttrace_unauthorized_total Requests refused for a missing or unknown API key.',
      '# TYPE tainttrace_unauthorized_total counter',
      `tainttrace_unauthorized_total ${this.unauthorized}`,
    );
    out.push(
      '# HELP tainttrace_client_errors_total Requests refused before routing (malformed HTTP, deadlines, header size, connection cap).',
      '# TYPE tainttrace_client_errors_total counter',
    );
    for (const [k, v] of [...this.clientErrors].sort()) out.push(`tainttrace_client_errors_total{code="${k}"} ${v}`);
    out.push(
      '# HELP tainttrace_index_loaded 1 when the taint index is loaded.',
      '# TYPE tainttrace_index_loaded gauge',
      `tainttrace_index_loaded ${gauges.indexLoaded ? 1 : 0}`,
    );
    out.push(
      '# HELP tainttrace_index_accounts Accounts in the taint index.',
      '# TYPE tainttrace_index_accounts gauge',
      `tainttrace_index_accounts ${gauges.accounts}`,
    );
    out.push(
      '# HELP tainttrace_index_transfers Transfers in the taint index.',
      '# TYPE tainttrace_index_transfers gauge',
      `tainttrace_index_transfers ${gauges.transfers}`,
    );
    if (gauges.asOfHeight !== null)
      out.push(
        '# HELP tainttrace_index_height Chain height the index is as of.',
        '# TYPE tainttrace_index_height gauge',
        `tainttrace_index_height ${gauges.asOfHeight}`,
      );
    return `${out.join('\n')}\n`;
  }
}

function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
