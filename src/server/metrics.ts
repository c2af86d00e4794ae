/**
 * Prometheus metrics kept by hand (text exposition format 0.0.4): request counter by route, method
 * and status; a latency histogram by route; screened deposits by risk; index gauges.
 */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface Histogram { counts: number[]; sum: number; count: number }

export class Metrics {
  /** route → "method status" → count (no string building per request beyond the inner key). */
  private readonly requests = new Map<string, Map<string, number>>();
  private readonly durations = new Map<string, Histogram>();
  private readonly risks = new Map<string, number>();
  rateLimited = 0;
  unauthorized = 0;

  observe(route: string, method: string, status: number, seconds: number): void {
    let byRoute = this.requests.get(route);
    if (!byRoute) this.requests.set(route, (byRoute = new Map()));
    const key = method + ' ' + status;
    byRoute.set(key, (byRoute.get(key) ?? 0) + 1);
    let h = this.durations.get(route);
    if (!h) this.durations.set(route, (h = { counts: new Array(BUCKETS.length).fill(0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) h.counts[i]++;
    h.sum += seconds;
    h.count++;
  }

  screened(risk: string): void {
    this.risks.set(risk, (this.risks.get(risk) ?? 0) + 1);
  }

  render(gauges: { indexLoaded: boolean; accounts: number; transfers: number; asOfHeight: number | null }): string {
    const out: string[] = [];
    out.push('# HELP tainttrace_http_requests_total HTTP requests answered.', '# TYPE tainttrace_http_requests_total counter');
    for (const [route, byRoute] of [...this.requests].sort()) {
      for (const [k, v] of [...byRoute].sort()) {
        const [method, status] = k.split(' ');
        out.push(`tainttrace_http_requests_total{route="${esc(route)}",method="${esc(method)}",status="${status}"} ${v}`);
      }
    }
    out.push('# HELP tainttrace_http_request_duration_seconds Time to answer, by route.', '# TYPE tainttrace_http_request_duration_seconds histogram');
    for (const [route, h] of [...this.durations].sort()) {
      const r = `route="${esc(route)}"`;
      BUCKETS.forEach((le, i) => out.push(`tainttrace_http_request_duration_seconds_bucket{${r},le="${le}"} ${h.counts[i]}`));
      out.push(`tainttrace_http_request_duration_seconds_bucket{${r},le="+Inf"} ${h.count}`);
      out.push(`tainttrace_http_request_duration_seconds_sum{${r}} ${h.sum}`);
      out.push(`tainttrace_http_request_duration_seconds_count{${r}} ${h.count}`);
    }
    out.push('# HELP tainttrace_screened_deposits_total Deposits screened, by risk.', '# TYPE tainttrace_screened_deposits_total counter');
    for (const [k, v] of [...this.risks].sort()) out.push(`tainttrace_screened_deposits_total{risk="${k}"} ${v}`);
    out.push('# HELP tainttrace_rate_limited_total Requests refused by the rate limit.', '# TYPE tainttrace_rate_limited_total counter', `tainttrace_rate_limited_total ${this.rateLimited}`);
    out.push('# HELP tainttrace_unauthorized_total Requests refused for a missing or unknown API key.', '# TYPE tainttrace_unauthorized_total counter', `tainttrace_unauthorized_total ${this.unauthorized}`);
    out.push('# HELP tainttrace_index_loaded 1 when the taint index is loaded.', '# TYPE tainttrace_index_loaded gauge', `tainttrace_index_loaded ${gauges.indexLoaded ? 1 : 0}`);
    out.push('# HELP tainttrace_index_accounts Accounts in the taint index.', '# TYPE tainttrace_index_accounts gauge', `tainttrace_index_accounts ${gauges.accounts}`);
    out.push('# HELP tainttrace_index_transfers Transfers in the taint index.', '# TYPE tainttrace_index_transfers gauge', `tainttrace_index_transfers ${gauges.transfers}`);
    if (gauges.asOfHeight !== null) out.push('# HELP tainttrace_index_height Chain height the index is as of.', '# TYPE tainttrace_index_height gauge', `tainttrace_index_height ${gauges.asOfHeight}`);
    return `${out.join('\n')}\n`;
  }
}

function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
