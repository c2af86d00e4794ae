/**
 * Fuzz: 100,000 generated malformed (and some accidentally valid) requests through `inject` —
 * methods, paths, percent-encodings, query strings, headers, content types, bodies. Every answer
 * must be 2xx or 4xx, JSON `{ error: { code, message } }` with the registry status when 4xx, within
 * a time bound: never a 5xx, a crash or a hang. Seeded: FUZZ_SEED=n reproduces a run, FUZZ_N sets
 * the count.
 */
import { describe, expect, it } from 'vitest';
import { ERRORS, type ErrorCode } from '../../src/errors.js';
import { A, H, T, U } from '../screen/fixture.js';
import { server } from './helpers.js';
import { mulberry32 } from '../../src/fixture/synthetic.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20180126);
const N = Number(process.env.FUZZ_N ?? 100_000);

const rng = mulberry32;

class Gen {
  constructor(readonly r: () => number) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  str(max: number, alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcdef0189-_.~!$&\'()*+,;=:@%/?# "\\<>{}|^`é漢\u0000\u007f'): string {
    let s = '';
    const n = this.int(max + 1);
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
  mutate(s: string): string {
    const chars = [...s];
    const k = 1 + this.int(3);
    for (let i = 0; i < k; i++) {
      const at = this.int(chars.length + 1);
      const op = this.int(4);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, this.str(2));
      else if (op === 2 && chars.length) chars[at % chars.length] = this.str(1) || 'Z';
      else chars.splice(at, this.int(10));
    }
    return chars.join('');
  }
  address(): string {
    return this.pick<() => string>([
      () => this.pick([A, T, U]),
      () => this.mutate(A),
      () => A.toLowerCase().replace(/(.{6})/g, '$1-'),
      () => this.str(45, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
      () => 'T' + A.slice(1),
      () => this.str(8),
      () => 'A'.repeat(this.int(400)),
      () => encodeURIComponent(this.str(20)),
      () => '%' + this.str(2),
      () => '',
    ])();
  }
  hash(): string {
    return this.pick<() => string>([
      () => this.pick(Object.values(H)),
      () => this.mutate(H.aX),
      () => 'f'.repeat(64),
      () => this.str(70, '0123456789abcdefABCDEFg'),
      () => '',
    ])();
  }
  amount(): unknown {
    return this.pick<() => unknown>([
      () => '100.5',
      () => '0.000001',
      () => '8999999999',
      () => '9999999999.999999',
      () => '1.1234567',
      () => '-1',
      () => '1e5',
      () => ' 1 ',
      () => '',
      () => this.int(1e9),
      () => null,
      () => true,
      () => [],
      () => ({}),
      () => this.str(40, '0123456789.-e+ '),
      () => 1.5,
      () => '0x10',
    ])();
  }
  time(): unknown {
    return this.pick<() => unknown>([
      () => '2018-01-26T00:02:00+09:00',
      () => '2018-01-26',
      () => '2014-01-01T00:00:00Z',
      () => '2018-13-45T99:99:99Z',
      () => 'now',
      () => this.int(2 ** 31),
      () => null,
      () => this.str(30, '0123456789-T:Z+.'),
      () => '9999-12-31T23:59:59Z',
      () => undefined,
    ])();
  }
  json(depth = 0): unknown {
    const k = this.int(depth > 3 ? 5 : 8);
    if (k === 0) return null;
    if (k === 1) return this.r() * 1e6 - 5e5;
    if (k === 2) return this.str(20);
    if (k === 3) return this.chance(0.5);
    if (k === 4) return this.int(100);
    if (k === 5) return Array.from({ length: this.int(4) }, () => this.json(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = this.int(4); i > 0; i--)
      o[this.pick(['deposits', 'from', 'amount', 'time', '__proto__', 'constructor', this.str(6)])] = this.json(depth + 1);
    return o;
  }
  deposit(): unknown {
    if (this.chance(0.1)) return this.json(2);
    const d: Record<string, unknown> = {};
    if (!this.chance(0.05)) d.from = this.chance(0.5) ? this.pick([A, T, U]) : this.chance(0.7) ? this.address() : this.json(3);
    if (!this.chance(0.05)) d.amount = this.chance(0.4) ? '12.5' : this.amount();
    if (this.chance(0.4)) d.time = this.time();
    if (this.chance(0.03)) d[this.str(5)] = this.json(3);
    return d;
  }
  body(): string | undefined {
    const k = this.int(10);
    if (k === 0) return undefined;
    if (k === 1) return this.str(60);
    if (k === 2) return JSON.stringify(this.json()) ?? 'null';
    if (k === 3) return JSON.stringify({ deposits: [this.deposit()] }).slice(0, this.int(80));
    if (k === 4) return '['.repeat(this.int(5000));
    if (k === 5 && this.chance(0.05))
      return JSON.stringify({ deposits: Array.from({ length: 990 + this.int(30) }, () => ({ from: A, amount: '1' })) });
    if (k === 6) return `{"deposits":[{"from":"${A}","amount":"1","__proto__":{"polluted":1}}]}`;
    return JSON.stringify({
      deposits: Array.from({ length: this.int(6) }, () => this.deposit()),
      ...(this.chance(0.05) ? { extra: 1 } : {}),
    });
  }
  query(): string {
    if (this.chance(0.7)) return '';
    return (
      '?' + Array.from({ length: 1 + this.int(4) }, () => `${this.str(6)}=${this.str(10)}`).join('&') + (this.chance(0.1) ? '&&=%' : '')
    );
  }
  path(): string {
    return this.pick<() => string>([
      () => `/v1/accounts/${this.address()}`,
      () => `/v1/accounts/${encodeURIComponent(this.address())}`,
      () => `/v1/transfers/${this.hash()}`,
      () => '/v1/screen',
      () => '/v1/screen/',
      () =>
        this.pick([
          '/healthz',
          '/readyz',
          '/metrics',
          '/openapi.json',
          '/',
          '/v1',
          '/v1/accounts/',
          '/v1/transfers',
          '//v1//screen',
          '/v1/../healthz',
        ]),
      () => '/' + this.str(40),
      () => '/v1/accounts/' + this.str(30, '%0123456789ABCDEFzz/'),
    ])();
  }
  headers(): Record<string, string> {
    const h: Record<string, string> = {};
    const printable = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~';
    if (this.chance(0.6))
      h['content-type'] = this.pick([
        'application/json',
        'application/json; charset=utf-8',
        'application/json; charset=utf-16',
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        '',
        'json',
        this.str(20, printable),
      ]);
    if (this.chance(0.3))
      h.authorization = this.pick([
        'Bearer key-alpha-123-0123456789abcdefghij',
        'Bearer key-beta-4567-0123456789abcdefghij',
        'Bearer',
        'Bearer  ',
        'Basic abc',
        `Bearer ${this.str(30, printable)}`,
        this.str(20, printable),
      ]);
    if (this.chance(0.1)) h.accept = this.pick(['application/json', 'text/html', '*/*', this.str(10, printable)]);
    if (this.chance(0.05)) h['content-encoding'] = this.pick(['gzip', 'br', 'identity', 'x']);
    if (this.chance(0.05)) h['transfer-encoding'] = 'chunked';
    if (this.chance(0.05)) h[this.str(8, 'abcdefghijklmnopqrstuvwxyz-') || 'x-a'] = this.str(50, printable);
    return h;
  }
}

describe('fuzz: malformed requests', () => {
  it(`${N} generated requests never get a 5xx, a crash or a hang (seed ${SEED})`, async () => {
    const g = new Gen(rng(SEED));
    // Parsing and validation under fuzz: the abuse limits (tested in guards.test.ts) would answer most of it 429.
    const open = server({ rateLimit: false });
    const keyed = server({
      authFailureLimit: false,
      apiKeys: [
        { key: 'key-alpha-123-0123456789abcdefghij' },
        { key: 'key-beta-4567-0123456789abcdefghij', rate: { capacity: 5, perSecond: 5 } },
      ],
    });
    const statuses = new Map<number, number>();
    const methods = [
      'GET',
      'GET',
      'GET',
      'GET',
      'POST',
      'POST',
      'POST',
      'POST',
      'POST',
      'PUT',
      'DELETE',
      'HEAD',
      'OPTIONS',
      'PATCH',
    ] as const;
    const BATCH = 64;
    for (let done = 0; done < N; done += BATCH) {
      const jobs: Promise<void>[] = [];
      for (let i = done; i < Math.min(N, done + BATCH); i++) {
        const path = g.path();
        const coherent = path.includes('screen') ? 'POST' : 'GET';
        const method = g.chance(0.75) ? coherent : g.pick(methods);
        const url = path + g.query();
        const payload = method === 'GET' || method === 'HEAD' ? (g.chance(0.05) ? g.body() : undefined) : g.body();
        const headers = g.headers();
        const app = g.chance(0.25) ? keyed : open;
        const request = { method, url, headers, payload };
        const repro = `FUZZ_SEED=${SEED} request #${i}: ${JSON.stringify(request).slice(0, 400)}`;
        jobs.push(
          (async () => {
            let timer: NodeJS.Timeout | undefined;
            const hang = new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`hang: ${repro}`)), 5_000);
            });
            let res;
            try {
              res = await Promise.race([app.inject(request), hang]);
            } catch (err) {
              // light-my-request refuses some requests client-side (as a real HTTP client would): not the server's fault
              if (String(err).startsWith('Error: hang')) throw err;
              if ((err as { code?: string }).code === 'ERR_INVALID_CHAR' || /Invalid (character|URL)|ERR_INVALID/.test(String(err))) return;
              throw new Error(`inject failed: ${String(err)} — ${repro}`, { cause: err });
            } finally {
              clearTimeout(timer);
            }
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            if (res.statusCode >= 500 || res.statusCode < 200 || (res.statusCode >= 300 && res.statusCode < 400)) {
              throw new Error(`status ${res.statusCode} ${res.body.slice(0, 200)} — ${repro}`);
            }
            if (res.statusCode >= 400 && method !== 'HEAD') {
              const body = JSON.parse(res.body) as { error?: { code?: ErrorCode; message?: unknown } };
              const code = body.error?.code;
              if (!code || !(code in ERRORS) || typeof body.error?.message !== 'string' || ERRORS[code].status !== res.statusCode) {
                throw new Error(`bad error body ${res.statusCode} ${res.body.slice(0, 200)} — ${repro}`);
              }
            }
          })(),
        );
      }
      await Promise.all(jobs);
    }
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(N * 0.95);
    expect([...statuses.keys()].every((s) => (s >= 200 && s < 300) || (s >= 400 && s < 500))).toBe(true);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    console.log(
      `fuzz seed ${SEED}: ${total} answered, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    await open.close();
    await keyed.close();
  }, 300_000);
});
