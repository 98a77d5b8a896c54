// Shared rules of concurrent layer transfers: a concurrency limit and moby's retry policy.
import { setTimeout as sleep } from 'node:timers/promises';
import { DigestMismatchError, RegistryError } from './errors.js';

/** At most `n` tasks at once; the rest wait their turn in call order. */
export class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly n: number) {
    if (!(n >= 1)) throw new RangeError('concurrency must be at least 1');
  }
  /** Whether a task started now would have to wait. */
  get busy(): boolean {
    return this.active >= this.n;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

export interface RetryPolicy {
  /** Total attempts per transfer (moby: 5). */
  attempts: number;
  /** Length of one countdown step in ms (moby: one second); the wait before retry n is 5n steps. */
  stepMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, stepMs: 1000 };

/**
 * moby's DoNotRetry cases: corrupt data (bad digest, undecompressable layer) and refusals (4xx other than 408/429) fail at once;
 * network errors and 5xx answers are retried.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof DigestMismatchError) return false;
  if (err instanceof RegistryError && err.code === 'BLOB_INVALID') return false;
  if (err instanceof RegistryError) {
    const s = err.status;
    return s === undefined || s >= 500 || s === 408 || s === 429;
  }
  return (err as Error).name !== 'AbortError';
}

/** Runs `task` up to `policy.attempts` times, announcing `Retrying in N seconds` each second of the wait. */
export async function withRetries<T>(
  policy: RetryPolicy,
  task: (attempt: number) => Promise<T>,
  onCountdown: (secondsLeft: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (err) {
      if (attempt >= policy.attempts || !isRetryable(err) || signal?.aborted) throw err;
      for (let left = attempt * 5; left > 0; left--) {
        onCountdown(left);
        await sleep(policy.stepMs, undefined, signal ? { signal } : undefined);
      }
    }
  }
}
