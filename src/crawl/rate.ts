/**
 * Request-rate cap (p-limit bounds work in flight, not the rate): hands out start
 * times spaced 1/rate apart; a caller waits for its slot. No burst beyond one request.
 */
export class RateLimiter {
  private next = 0;
  private readonly spacingMs: number;

  constructor(
    ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = defaultSleep,
  ) {
    if (!(ratePerSecond > 0)) throw new TypeError(`rate must be > 0, got ${ratePerSecond}`);
    this.spacingMs = 1000 / ratePerSecond;
  }

  /** Resolves when the caller may start a request. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const t = this.now();
    const slot = Math.max(t, this.next);
    this.next = slot + this.spacingMs;
    if (slot > t) await this.sleep(slot - t, signal);
  }
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
