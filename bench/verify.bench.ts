/**
 * Signature verification micro-bench (docs/contracts.md §6: every stored transaction is verified): which
 * implementation of NIS1's Ed25519-with-Keccak check is fastest, on one core and across worker threads.
 *
 *   npx tsx bench/verify.bench.ts [--n 600] [--seed 7]
 *   npm i --no-save symbol-sdk@3 && npx tsx bench/verify.bench.ts   # adds symbol-sdk's WASM verifier
 *
 * Input: n seeded transfers' signed bytes (≈ 120 bytes each) signed by 50 keys, as a crawl sees them.
 * Candidates, each over the same n signatures, interleaved over 3 rounds (medians):
 *  - noble      — @noble/curves eddsa with Keccak-512 (verifyNemNoble; pure JS; the baseline);
 *  - libsodium  — verifyNem: Keccak challenge in JS, group operations in libsodium (sodium-native);
 *  - symbol-sdk — symbol-sdk's NEM Verifier (symbol-crypto-wasm), when installed;
 *  - batch      — noble random-linear-combination batch check (one Pippenger MSM per 64 signatures,
 *                 cofactored): sound against forgery, but not NIS's cofactorless rule, and a failed
 *                 batch must fall back to single checks;
 *  - pool       — SignatureVerifier (verify-pool.ts) with 1…N worker threads running libsodium.
 * Every candidate must accept all n and reject a tampered copy, or the bench fails.
 * Results go to bench/results/verify.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { keccak_256, keccak_512 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes } from '@noble/hashes/utils.js';
import { mulberry32 } from '../src/fixture/synthetic.js';
import { keyPairFromPrivateKey, NonceChainSigner, verifyNem, verifyNemNoble } from '../src/nem/keys.js';
import { SignatureVerifier } from '../src/nem/verify-pool.js';
import type { SignedPart } from '../src/nem/verify.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const n = Number(flag('n', '600'));
const seed = Number(flag('seed', '7'));
const rng = mulberry32(seed);
const hex = (len: number) => bytesToHex(Uint8Array.from({ length: len }, () => Math.floor(rng() * 256)));

const keys = Array.from({ length: 50 }, () => keyPairFromPrivateKey(hex(32)));
const signer = new NonceChainSigner();
const parts: SignedPart[] = Array.from({ length: n }, (_, i) => {
  const data = Uint8Array.from({ length: 120 }, () => Math.floor(rng() * 256));
  const kp = keys[i % keys.length];
  return {
    path: 'transaction',
    data,
    hash: bytesToHex(keccak_256(data)),
    signature: bytesToHex(signer.sign(data, kp)),
    signer: kp.publicKey,
  };
});
const tampered = parts.map((p) => ({ ...p, data: Uint8Array.from(p.data, (b, j) => (j === 7 ? b ^ 1 : b)) }));
const hexBytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

type Candidate = { name: string; run: (ps: SignedPart[]) => Promise<boolean> };
const single = (f: (sig: string, data: Uint8Array, pub: string) => boolean) => (ps: SignedPart[]) =>
  Promise.resolve(ps.every((p) => f(p.signature, p.data, p.signer)));

/** Batch check of up to 64 signatures: Σ z_i·(s_i·B − R_i − k_i·A_i) = 0 after clearing the cofactor. */
function batchOk(ps: SignedPart[]): boolean {
  const { Point } = ed25519;
  const L = Point.Fn.ORDER;
  const le = (b: Uint8Array) => BigInt(`0x${bytesToHex(Uint8Array.from(b).reverse()) || '0'}`);
  const points = [Point.BASE];
  const scalars = [0n];
  for (const p of ps) {
    const sig = hexBytes(p.signature);
    const pub = hexBytes(p.signer);
    const R = Point.fromBytes(sig.subarray(0, 32));
    const A = Point.fromBytes(pub);
    const s = le(sig.subarray(32));
    if (s >= L || A.isSmallOrder()) return false;
    const k = le(keccak_512(concatBytes(sig.subarray(0, 32), pub, p.data))) % L;
    const z = le(Uint8Array.from({ length: 16 }, () => Math.floor(Math.random() * 256))) | 1n;
    scalars[0] = (scalars[0] + z * s) % L;
    points.push(R.negate(), A.negate());
    scalars.push(z % L, (z * k) % L);
  }
  return pippenger(Point, points, scalars).clearCofactor().is0();
}

async function main(): Promise<void> {
  const candidates: Candidate[] = [
    { name: 'noble (baseline)', run: single(verifyNemNoble) },
    { name: 'libsodium', run: single(verifyNem) },
    {
      name: 'batch (noble MSM, 64)',
      run: (ps) => {
        let ok = true;
        for (let i = 0; i < ps.length && ok; i += 64) ok = batchOk(ps.slice(i, i + 64));
        return Promise.resolve(ok);
      },
    },
  ];
  try {
    // Optional comparison: imported by a name the type checker cannot resolve, so the bench runs without it.
    const optional = (name: string): Promise<any> => import(name);
    const sdk = await optional('symbol-sdk');
    const sdkNem = await optional('symbol-sdk/nem');
    const verifiers = new Map<string, { verify(m: Uint8Array, s: unknown): boolean }>();
    candidates.push({
      name: 'symbol-sdk (wasm)',
      run: single((sig, data, pub) => {
        let v = verifiers.get(pub);
        if (!v) verifiers.set(pub, (v = new sdkNem.Verifier(new sdk.PublicKey(pub))));
        return v!.verify(data, new sdk.Signature(sig));
      }),
    });
  } catch {
    process.stdout.write('symbol-sdk not installed: skipped (npm i --no-save symbol-sdk@3)\n');
  }
  const maxWorkers = Math.min(4, availableParallelism());
  const pools: SignatureVerifier[] = [];
  for (let w = 1; w <= maxWorkers; w++) {
    const pool = new SignatureVerifier({ workers: w, cacheSize: 0 });
    pools.push(pool);
    await pool.verify(parts.slice(0, 8)); // start the workers outside the timing
    candidates.push({ name: `pool, ${w} worker${w > 1 ? 's' : ''}`, run: async (ps) => (await pool.verify(ps)).every(Boolean) });
  }
  for (const c of candidates) {
    if (!(await c.run(parts))) throw new Error(`${c.name} rejects honest signatures`);
    if (await c.run(tampered.slice(0, 64))) throw new Error(`${c.name} accepts tampered data`);
  }
  const times = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
  for (let round = 0; round < 3; round++) {
    for (const c of candidates) {
      const t0 = performance.now();
      await c.run(parts);
      times.get(c.name)!.push(performance.now() - t0);
    }
  }
  await Promise.all(pools.map((p) => p.close()));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
  const base = median(times.get(candidates[0].name)!);
  const rows = candidates.map((c) => {
    const ms = median(times.get(c.name)!);
    return {
      name: c.name,
      usPerSig: +((ms * 1000) / n).toFixed(1),
      perSecond: Math.round((n * 1000) / ms),
      speedup: +(base / ms).toFixed(2),
    };
  });
  process.stdout.write(`${n} signatures, seed ${seed}, ${availableParallelism()} cores\n`);
  process.stdout.write(`${'candidate'.padEnd(24)}${'µs/signature'.padStart(14)}${'signatures/s'.padStart(14)}${'vs noble'.padStart(10)}\n`);
  for (const r of rows)
    process.stdout.write(
      `${r.name.padEnd(24)}${String(r.usPerSig).padStart(14)}${String(r.perSecond).padStart(14)}${`${r.speedup}×`.padStart(10)}\n`,
    );
  const out = join(dirname(fileURLToPath(import.meta.url)), 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'verify.json'), `${JSON.stringify({ n, seed, cores: availableParallelism(), rows }, null, 2)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
