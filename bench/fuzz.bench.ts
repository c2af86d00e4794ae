/**
 * HTTP fuzz benchmark: at least 1,000,000 malformed or hostile requests over real loopback
 * sockets against buildServer in a child process; every answer must be in the API's own shape
 * and never a 5xx, and the server's memory after GC must be flat afterwards.
 *
 *   npx tsx bench/fuzz.bench.ts [--n 1000000] [--connections 64] [--seed 20180126] [--json]
 *
 * The requests (seeded, mulberry32): bad and mutated addresses and hashes; screen bodies that are
 * deep (up to 2,000 levels, 1 in 20 of those up to 50,000), huge (600 KB sent, or 10 MB declared:
 * above the 512 KiB limit), invalid UTF-8, with
 * duplicate keys, `__proto__` / `constructor` keys, wrong types, over the deposit limit; wrong
 * methods and content types; header abuse (bad API keys, many and long headers); broken framing
 * (random bytes, bad request lines, bad chunked encoding, conflicting lengths); and valid
 * requests now and then. 10 % go to a second server with API keys and the default limits (its
 * answers are mostly 401/429). Requests are written on keep-alive connections; a connection the
 * server closes (framing errors) is reopened. Every answer is parsed: status, JSON body
 * `{ error: { code, message } }` with the registry's status for every 4xx.
 * Memory: the child's heap and RSS after a forced GC, before the run and after it (and once more
 * after a second GC a second later, so buffers released late are counted).
 */
import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { ERRORS, type ErrorCode } from '../src/errors.js';
import { mulberry32 } from '../src/fixture/synthetic.js';
import { syntheticTaintIndex } from '../src/fixture/synthetic-index.js';
import { buildServer, generateKey } from '../src/server/index.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const N = flag('n', 1_000_000);
const CONNECTIONS = flag('connections', 64);
const SEED = flag('seed', 20180126);
const JSON_OUT = args.includes('--json');
const ACCOUNTS = 10_000;

interface Memory {
  heapUsed: number;
  rss: number;
  external: number;
  arrayBuffers: number;
  connections: number;
}
interface Ports {
  open: number;
  keyed: number;
  key: string;
}

async function child(): Promise<void> {
  const { index } = syntheticTaintIndex({ accounts: ACCOUNTS, seed: 7 });
  const key = generateKey();
  // The open server has no rate limit (the fuzz is about parsing and validation); the keyed one runs the defaults.
  const open = buildServer({ index, rateLimit: false });
  const keyed = buildServer({ index, apiKeys: [{ key }] });
  await open.listen({ port: 0, host: '127.0.0.1' });
  await keyed.listen({ port: 0, host: '127.0.0.1' });
  const port = (app: typeof open) => (app.server.address() as net.AddressInfo).port;
  process.send!({ open: port(open), keyed: port(keyed), key } satisfies Ports);
  process.on('message', (m) => void onMessage(m));
  async function onMessage(m: unknown): Promise<void> {
    if (m === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      await new Promise((r) => setTimeout(r, 200));
      (globalThis as { gc?: () => void }).gc?.();
      const u = process.memoryUsage();
      const connections = await new Promise<number>((r) => open.server.getConnections((_e, n) => r(n)));
      process.send!({ heapUsed: u.heapUsed, rss: u.rss, external: u.external, arrayBuffers: u.arrayBuffers, connections } satisfies Memory);
      return;
    }
    await Promise.all([open.close(), keyed.close()]);
    process.exit(0);
  }
}

/** One generated request: its bytes, and whether the server may close the connection after it. */
interface Req {
  bytes: Buffer<ArrayBufferLike>;
  mayClose: boolean;
  head: boolean;
  kind: string;
  keyed: boolean;
}

/** How often each kind of request comes (cheap ones more often, so a million fit in minutes on two cores). */
const KINDS = [
  'account',
  'account',
  'account',
  'account',
  'transfer',
  'transfer',
  'screen',
  'screen',
  'screen',
  'method',
  'method',
  'ops',
  'ops',
  'headers',
  'framing',
] as const;

class Gen {
  readonly r: () => number;
  constructor(
    seed: number,
    readonly addresses: string[],
    readonly hashes: string[],
    readonly key: string,
  ) {
    this.r = mulberry32(seed);
  }
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  str(max: number, alphabet: string): string {
    let s = '';
    const n = this.int(max + 1);
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
  mutate(s: string): string {
    const c = [...s];
    for (let k = 1 + this.int(3); k > 0; k--) {
      const at = this.int(c.length + 1);
      const op = this.int(3);
      if (op === 0) c.splice(at, 1);
      else if (op === 1) c.splice(at, 0, this.str(2, 'ABCXYZ234567-_.%'));
      else if (c.length) c[at % c.length] = this.pick(['A', 'Z', '1', '8', '-', '%', 'a']);
    }
    return c.join('');
  }
  address(): string {
    return this.pick<() => string>([
      () => this.pick(this.addresses),
      () => this.mutate(this.pick(this.addresses)),
      () => this.pick(this.addresses).toLowerCase(),
      () => 'T' + this.pick(this.addresses).slice(1),
      () => this.str(45, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
      () => 'A'.repeat(this.int(2000)),
      () => encodeURIComponent(this.str(20, 'abc/\\?#%é漢\u202e')),
      () => '%' + this.str(2, '0123456789ABCDEFG'),
      () => '%C0%AF%FF%FE',
      () => '',
    ])();
  }
  deposit(): unknown {
    return this.pick<() => unknown>([
      () => ({ from: this.pick(this.addresses), amount: '1000.000000' }),
      () => ({ from: this.address(), amount: this.pick(['1', '-1', '1e9', '0.0000001', '9'.repeat(40), 'NaN', '', ' 1']) }),
      () => ({
        from: this.pick(this.addresses),
        amount: '1',
        time: this.pick(['2018-01-26T00:00:00Z', 'yesterday', '', '9999-99-99', 1e20]),
      }),
      () => ({ from: 42, amount: 1 }),
      () => ({ from: null, amount: null, extra: true }),
      () => ({ __proto__: { from: 'x' }, amount: '1' }),
      () => [],
      () => 'string',
      () => null,
    ])();
  }
  body(): { text: Buffer | string; type: string | null } {
    const json = 'application/json';
    return this.pick<() => { text: Buffer | string; type: string | null }>([
      () => ({ text: JSON.stringify({ deposits: Array.from({ length: this.int(5) }, () => this.deposit()) }), type: json }),
      () => ({ text: `{"deposits":${'['.repeat(1 + this.int(this.chance(0.05) ? 50_000 : 2_000))}`, type: json }),
      () => ({ text: `{"deposits":${'['.repeat(this.int(2_000))}${']'.repeat(this.int(2_000))}}`, type: json }),
      () => ({ text: `{"a":${'{"a":'.repeat(this.int(2_000))}1${'}'.repeat(this.int(2_000))}}`, type: json }),
      () => ({ text: '{"deposits":[],"deposits":[{"from":"x","amount":"1"}],"deposits":5}', type: json }),
      () => ({
        text:
          '{"__proto__":{"deposits":[]},"constructor":{"prototype":{"polluted":1}},"deposits":[{"__proto__":{"from":"x"},' +
          '"amount":"1"}]}',
        type: json,
      }),
      () => ({
        text: Buffer.concat([
          Buffer.from('{"deposits":[{"from":"'),
          Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80]),
          Buffer.from('","amount":"1"}]}'),
        ]),
        type: json,
      }),
      () => ({
        text: Buffer.from(Array.from({ length: this.int(300) }, () => this.int(256))),
        type: this.pick([json, 'application/octet-stream', null]),
      }),
      () =>
        this.chance(0.2)
          ? {
              text: JSON.stringify({ deposits: Array.from({ length: 1001 + this.int(50) }, () => ({ from: 'A', amount: '1' })) }),
              type: json,
            }
          : { text: '{"deposits":[{"from":"A","amount":"1"}],"x":' + '1'.repeat(600_000) + '}', type: json },
      () => ({ text: '', type: json }),
      () => ({ text: 'null', type: json }),
      () => ({
        text: '{"deposits":[]}',
        type: this.pick([
          'text/plain',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/x-www-form-urlencoded',
          'json',
          'application/json; charset=utf-16',
          '\u00ff',
        ]),
      }),
    ])();
  }
  next(): Req {
    const keyed = this.chance(0.1);
    const kind = this.pick(KINDS);
    const headers: string[] = ['Host: fuzz'];
    if (keyed || this.chance(0.1))
      headers.push(
        this.pick([
          `Authorization: Bearer ${this.key}`,
          `Authorization: Bearer ${this.mutate(this.key)}`,
          'Authorization: Basic x',
          'Authorization: Bearer',
          'Authorization: ',
        ]),
      );
    let method = 'GET';
    let path = '/';
    let body: Buffer | string = '';
    let mayClose = false;
    switch (kind) {
      case 'account':
        path = `/v1/accounts/${this.address()}${this.chance(0.1) ? `?${this.str(20, 'a=&%?#')}` : ''}`;
        break;
      case 'transfer':
        path = `/v1/transfers/${this.pick([
          this.pick(this.hashes),
          this.mutate(this.pick(this.hashes)),
          'f'.repeat(64),
          this.str(70, '0123456789abcdefg'),
        ])}`;
        break;
      case 'screen': {
        method = 'POST';
        path = '/v1/screen';
        const b = this.body();
        body = b.text;
        if (b.type !== null) headers.push(`Content-Type: ${b.type}`);
        break;
      }
      case 'method':
        method = this.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'HEAD', 'POST', 'PROPFIND']);
        path = this.pick([
          '/v1/accounts/x',
          '/v1/screen',
          '/healthz',
          '/metrics',
          '/',
          '/v1/transfers/',
          '/../../etc/passwd',
          '/v1/%2e%2e/',
        ]);
        if (method !== 'HEAD' && this.chance(0.5)) {
          body = '{"x":1}';
          headers.push('Content-Type: application/json');
        }
        break;
      case 'ops':
        path = this.pick(['/healthz', '/readyz', '/metrics', '/openapi.json', '/v1', '/v1/', '/favicon.ico']);
        break;
      case 'headers':
        path = `/v1/accounts/${this.pick(this.addresses)}`;
        for (let i = this.int(40); i > 0; i--)
          headers.push(`X-${this.str(10, 'abcdefghij-')}a: ${this.str(this.chance(0.1) ? 200 : 20, 'abc \t;=,"\u00e9')}`);
        if (this.chance(0.2)) {
          headers.push(`X-Big: ${'b'.repeat(17_000)}`);
          mayClose = true;
        }
        break;
      case 'framing': {
        mayClose = true;
        const raw = this.pick<() => Buffer>([
          () => Buffer.concat([Buffer.from(Array.from({ length: this.int(200) }, () => this.int(256))), Buffer.from('\r\n\r\n')]),
          () => Buffer.from(`GET /healthz HTTP/${this.pick(['9.9', '1.x', '', '0.9'])}\r\nHost: x\r\n\r\n`),
          () => Buffer.from(`${this.str(10, 'GETPOS\u0000 ')} / HTTP/1.1\r\n\r\n`),
          () =>
            Buffer.from(
              'POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: ' +
                'chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
            ),
          () => Buffer.from('POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello'),
          () => Buffer.from('POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'),
          () => Buffer.from(`GET /v1/accounts/${this.str(10, 'ab')}\u0000 HTTP/1.1\r\nHost: x\r\n\r\n`),
          () =>
            Buffer.from(
              `POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: ` +
                `application/json\r\nContent-Length: ${10_000_000 + this.int(1000)}\r\nConnection: ` +
                `close\r\n\r\n{"deposits":[`,
            ),
          () =>
            Buffer.concat([
              Buffer.from('GET /v1/accounts/'),
              Buffer.from([0xff, 0xfe, 0xc0, 0xaf]),
              Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n'),
            ]),
        ])();
        return { bytes: raw, mayClose, head: false, kind, keyed };
      }
    }
    const bodyBuf = typeof body === 'string' ? Buffer.from(body) : body;
    if (method !== 'GET' || bodyBuf.length) headers.push(`Content-Length: ${bodyBuf.length}`);
    const head = Buffer.from(`${method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`, 'latin1');
    return { bytes: Buffer.concat([head, bodyBuf]), mayClose, head: method === 'HEAD', kind, keyed };
  }
}

interface Tally {
  answered: number;
  byStatus: Map<number, number>;
  fiveXX: number;
  badShape: number;
  noAnswer: number;
  byKind: Map<string, number>;
  firstBad: string[];
}

/** Reads HTTP/1.1 responses off one socket (Content-Length framing, which every answer of the server has). */
class ResponseReader {
  private buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
  }
  take(head: boolean): { status: number; body: string; close: boolean } | null {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0) return null;
    const headText = this.buf.subarray(0, end).toString('latin1');
    const status = Number(headText.slice(9, 12));
    const length = head ? 0 : Number(/\r\ncontent-length: *(\d+)/i.exec(headText)?.[1] ?? 0);
    if (this.buf.length < end + 4 + length) return null;
    const body = this.buf.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buf = this.buf.subarray(end + 4 + length);
    return { status, body, close: /\r\nconnection: *close/i.test(headText) };
  }
}

function check(t: Tally, req: Req, res: { status: number; body: string }): void {
  t.answered++;
  t.byStatus.set(res.status, (t.byStatus.get(res.status) ?? 0) + 1);
  if (res.status >= 500) {
    t.fiveXX++;
    if (t.firstBad.length < 5)
      t.firstBad.push(`${res.status} ${res.body.slice(0, 120)} ← ${req.bytes.subarray(0, 160).toString('latin1')}`);
  }
  if (res.status >= 400 && !req.head) {
    let ok = false;
    try {
      const e = (JSON.parse(res.body) as { error?: { code?: ErrorCode; message?: unknown } }).error;
      ok = !!e?.code && e.code in ERRORS && ERRORS[e.code].status === res.status && typeof e.message === 'string';
    } catch {
      /* not JSON */
    }
    if (!ok) {
      t.badShape++;
      if (t.firstBad.length < 5)
        t.firstBad.push(`shape ${res.status} ${res.body.slice(0, 120)} ← ${req.bytes.subarray(0, 160).toString('latin1')}`);
    }
  }
}

/** One client connection worker: sends requests one at a time, reconnecting when the server closes. */
async function worker(gen: Gen, ports: Ports, quota: () => boolean, t: Tally): Promise<void> {
  const sockets = new Map<number, { socket: net.Socket; reader: ResponseReader; waiter: ((v: Buffer | null) => void) | null }>();
  const connect = (port: number) => {
    const socket = net.connect(port, '127.0.0.1');
    const entry = { socket, reader: new ResponseReader(), waiter: null as ((v: Buffer | null) => void) | null };
    socket.setNoDelay(true);
    socket.on('data', (d) => {
      entry.reader.push(d);
      entry.waiter?.(d);
    });
    socket.on('close', () => {
      if (sockets.get(port) === entry) sockets.delete(port);
      entry.waiter?.(null);
    });
    socket.on('error', () => {});
    sockets.set(port, entry);
    return entry;
  };
  while (quota()) {
    const req = gen.next();
    const port = req.keyed ? ports.keyed : ports.open;
    const entry = sockets.get(port) ?? connect(port);
    entry.socket.write(req.bytes);
    let res: ReturnType<ResponseReader['take']>;
    let closed = false;
    const deadline = setTimeout(() => entry.socket.destroy(), 15_000);
    while (!(res = entry.reader.take(req.head))) {
      const got = await new Promise<Buffer | null>((resolve) => (entry.waiter = resolve));
      entry.waiter = null;
      if (got === null) {
        closed = true;
        res = entry.reader.take(req.head);
        break;
      }
    }
    clearTimeout(deadline);
    t.byKind.set(req.kind, (t.byKind.get(req.kind) ?? 0) + 1);
    if (res) check(t, req, res);
    else {
      t.noAnswer++;
      if (!req.mayClose && t.firstBad.length < 5) t.firstBad.push(`no answer ← ${req.bytes.subarray(0, 160).toString('latin1')}`);
    }
    if (closed || res?.close || req.mayClose) {
      entry.socket.destroy();
      if (sockets.get(port) === entry) sockets.delete(port);
    }
  }
  for (const { socket } of sockets.values()) socket.destroy();
}

async function main(): Promise<void> {
  const proc = fork(fileURLToPath(import.meta.url), ['--child', ...args], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    stdio: 'inherit',
  });
  const ask = <T>(msg?: string): Promise<T> =>
    new Promise((resolve) => {
      proc.once('message', (m) => resolve(m as T));
      if (msg) proc.send(msg);
    });
  const ports = await ask<Ports>();
  const before = await ask<Memory>('memory');
  const { addresses } = { addresses: (await import('../src/fixture/synthetic-index.js')).syntheticAddresses(ACCOUNTS) };
  const hashes = Array.from({ length: 50 }, (_, i) => (i * 7919).toString(16).padStart(64, 'a'));
  const t: Tally = { answered: 0, byStatus: new Map(), fiveXX: 0, badShape: 0, noAnswer: 0, byKind: new Map(), firstBad: [] };
  let sent = 0;
  const quota = () => sent++ < N;
  const samples: { at: number; heapUsed: number }[] = [];
  const started = performance.now();
  let lastLog = started;
  const progress = setInterval(() => {
    const now = performance.now();
    if (now - lastLog > 10_000) {
      process.stderr.write(
        `  ${Math.min(sent, N).toLocaleString('en')} sent, ${t.answered.toLocaleString('en')} answered,` +
          ` ${Math.round(t.answered / ((now - started) / 1000))}/s, 5xx ${t.fiveXX}, bad ` +
          `shape ${t.badShape}, no answer ${t.noAnswer}\n`,
      );
      lastLog = now;
    }
  }, 1000);
  await Promise.all(
    Array.from({ length: CONNECTIONS }, (_, i) => worker(new Gen(SEED + i, addresses, hashes, ports.key), ports, quota, t)),
  );
  clearInterval(progress);
  const seconds = (performance.now() - started) / 1000;
  const after = await ask<Memory>('memory');
  await new Promise((r) => setTimeout(r, 1000));
  const settled = await ask<Memory>('memory');
  proc.send('exit');
  const total = t.answered + t.noAnswer;
  const summary = {
    requests: total,
    seconds: Math.round(seconds),
    perSecond: Math.round(total / seconds),
    answered: t.answered,
    noAnswer: t.noAnswer,
    fiveXX: t.fiveXX,
    badShape: t.badShape,
    statuses: Object.fromEntries([...t.byStatus].sort((a, b) => a[0] - b[0])),
    kinds: Object.fromEntries([...t.byKind].sort()),
    memory: { before, after, settled },
    samples: samples.length,
    heapGrowthMiB: (settled.heapUsed - before.heapUsed) / 2 ** 20,
    rssGrowthMiB: (settled.rss - before.rss) / 2 ** 20,
    firstBad: t.firstBad,
    seed: SEED,
    connections: CONNECTIONS,
  };
  if (JSON_OUT) console.log(JSON.stringify(summary));
  else {
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    console.log(
      `fuzz: ${total.toLocaleString('en')} requests in ${summary.seconds} s (${summary.perSecond}/s, ${CONNECTIONS} connections, ` +
        `seed ${SEED})`,
    );
    console.log(
      `answered ${t.answered.toLocaleString('en')}; without an answer (server closed: framing errors) ${t.noAnswer.toLocaleString('en')}`,
    );
    console.log(`5xx: ${t.fiveXX}; 4xx not in the { error: { code, message } } shape: ${t.badShape}`);
    console.log(`statuses: ${JSON.stringify(summary.statuses)}`);
    console.log(
      `server heap after GC: ${mib(before.heapUsed)} MiB before, ${mib(after.heapUsed)} after, ${mib(settled.heapUsed)} a second ` +
        `later; RSS ${mib(before.rss)} → ${mib(settled.rss)} MiB`,
    );
    for (const b of t.firstBad) console.log(`  ${b}`);
  }
  process.exitCode = t.fiveXX === 0 && t.badShape === 0 ? 0 : 1;
}

if (args.includes('--child')) void child();
else void main();
