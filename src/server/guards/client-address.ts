/**
 * The client address the rate limiter keys on, resolved once per distinct (socket address,
 * X-Forwarded-For) pair. Behind a trusted proxy, fastify's `request.ip` parses and checks the whole
 * forwarded chain on every call (@fastify/proxy-addr: ≈ 4–7 µs, a fifth of a lookup's server CPU in
 * bench/server.bench.ts); the answer is a pure function of those two strings, so it is remembered in
 * a bounded map (oldest dropped first: a client sending endless distinct headers costs a miss each,
 * never memory). Without a trusted proxy the socket address is the client, read as it is.
 */
import type { FastifyRequest } from 'fastify';

/** Distinct (socket, header) pairs remembered; about 150 bytes each. */
export const CLIENT_MEMO_SIZE = 10_000;

export function clientAddressOf(trustProxy: boolean | readonly string[], size = CLIENT_MEMO_SIZE): (request: FastifyRequest) => string {
  if (trustProxy === false) return (request) => request.ip;
  const memo = new Map<string, string>();
  return (request) => {
    const forwarded = request.headers['x-forwarded-for'];
    if (forwarded === undefined) return request.ip;
    const key = `${request.raw.socket?.remoteAddress ?? ''} ${Array.isArray(forwarded) ? forwarded.join(',') : forwarded}`;
    let address = memo.get(key);
    if (address === undefined) {
      address = request.ip;
      if (memo.size >= size) memo.delete(memo.keys().next().value!);
      memo.set(key, address);
    }
    return address;
  };
}
